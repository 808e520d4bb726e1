import Link from "next/link";
import { DiffView } from "@/components/diff/diff-view";
import { commentPlace } from "@/lib/diff/comments";
import { interdiff } from "@/lib/diff/interdiff";
import { pagePath, type RequestRow } from "@/lib/domain/kinds";
import { approvalStatus } from "@/lib/domain/status";
import { revisions } from "@/server/requests/service";
import { StatusBadge } from "./status-badge";

/*
 * An approval that is one of several revisions (each `supersedes` the one before): its
 * revision number, every other revision with its decision and comments, and what
 * changed since the previous one (lib/diff/interdiff.ts; never an error).
 */
export async function RevisionsPanel({ row }: { row: RequestRow<"approval"> }) {
  const chain = await revisions(row.id, 2);
  if (!chain) return null;
  const now = new Date();
  const index = chain.findIndex((r) => r.id === row.id);
  const number = row.revision ?? index + 1;
  const previous = index > 0 ? chain[index - 1]! : null;
  const previousNumber = previous ? (previous.revision ?? index) : null;

  return (
    <section
      aria-labelledby="revisions-title"
      className="mb-6 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="revisions-title" className="text-base font-semibold">
        Revision {number} of {chain.length}
      </h2>
      <ol aria-label="Revisions" className="mt-2 space-y-2 text-sm">
        {chain.map((r, i) => {
          const n = r.revision ?? i + 1;
          const current = r.id === row.id;
          return (
            <li
              key={r.id}
              className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800"
            >
              <div className="flex flex-wrap items-center gap-2">
                {current ? (
                  <span className="font-medium" aria-current="page">
                    Revision {n} (this one)
                  </span>
                ) : (
                  <Link href={pagePath("approval", r.id)} className="font-medium underline">
                    Revision {n}
                  </Link>
                )}
                <StatusBadge status={approvalStatus(r, now)} />
                {r.decidedBy ? (
                  <span className="text-zinc-600 dark:text-zinc-400">by {r.decidedBy}</span>
                ) : null}
              </div>
              {!current && r.comment ? (
                <p className="mt-1 whitespace-pre-wrap break-words">{r.comment}</p>
              ) : null}
              {!current && r.inlineComments?.length ? (
                <ul
                  className="mt-1 list-disc space-y-0.5 pl-5"
                  aria-label={`Comments on revision ${n}`}
                >
                  {r.inlineComments.map((c, j) => (
                    <li key={j} className="break-words">
                      <span className="font-mono text-xs">{commentPlace(c)}</span>: {c.body}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
      {previous && previousNumber !== null ? (
        <ChangesSince
          previous={previous}
          previousNumber={previousNumber}
          row={row}
          number={number}
        />
      ) : null}
    </section>
  );
}

function ChangesSince({
  previous,
  previousNumber,
  row,
  number,
}: {
  previous: RequestRow<"approval">;
  previousNumber: number;
  row: RequestRow<"approval">;
  number: number;
}) {
  const result = interdiff(previous.diff, row.diff, {
    fallbackPath: row.filePath,
    labels: [`revision ${previousNumber}`, `revision ${number}`],
  });
  return (
    <section aria-labelledby="changes-since-title" className="mt-4">
      <h3 id="changes-since-title" className="mb-2 text-base font-semibold">
        Changes since revision {previousNumber}
      </h3>
      {result.mode === "text" ? (
        <p
          role="note"
          className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {result.reason} Shown instead: how the diff itself changed.
        </p>
      ) : (
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
          How the files revision {number} makes differ from those revision {previousNumber} made.
        </p>
      )}
      {result.diff === "" ? (
        <p className="text-sm">
          No changes: revision {number} makes the same files as revision {previousNumber}.
        </p>
      ) : (
        <DiffView diff={result.diff} comments={false} anchorPrefix="since-" />
      )}
    </section>
  );
}
