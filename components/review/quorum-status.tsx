import type { Approver } from "@/lib/domain/kinds";

/**
 * A request that needs several reviewers' approvals: how many it has, and who approved
 * when. `justApproved`: the viewer's own approval was recorded and more are needed.
 */
export function QuorumStatus({
  required,
  received,
  approvers,
  pending,
  justApproved,
}: {
  required: number;
  received: number;
  approvers: Approver[];
  pending: boolean;
  justApproved: boolean;
}) {
  if (required <= 1) return null;
  const left = required - received;
  return (
    <section
      aria-labelledby="quorum-title"
      className="mb-4 rounded border border-violet-200 bg-violet-50 p-3 text-sm text-violet-950 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-100"
    >
      <h2 id="quorum-title" className="font-medium">
        {received} of {required} approvals
      </h2>
      {pending ? (
        <p className="mt-1">
          {justApproved ? "Your approval is recorded. " : ""}
          Needs {left} more {left === 1 ? "approval" : "approvals"} from{" "}
          {received > 0 ? "other reviewers" : "different reviewers"}; any rejection rejects it.
        </p>
      ) : null}
      {approvers.length ? (
        <ul aria-label="Approved by" className="mt-2 space-y-0.5">
          {approvers.map((a) => (
            <li key={a.reviewer} className="break-all">
              <span className="font-medium">{a.reviewer}</span>{" "}
              <time dateTime={a.at} className="text-violet-800 dark:text-violet-300">
                {a.at.slice(0, 10)} {a.at.slice(11, 16)} UTC
              </time>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
