import Link from "next/link";
import { TimeAgo } from "./time-ago";

/** A decided or expired request: who decided what and when, and the comment or answer. */
export function DecisionRecord({
  outcome,
  by,
  at,
  text,
  textLabel,
  chosen = null,
  successorHref = null,
  hunks = null,
  now,
}: {
  outcome: "approved" | "rejected" | "answered" | "expired" | "superseded";
  by: string | null;
  at: Date | null;
  text: string | null;
  textLabel: string;
  /** the options a reviewer chose (a multiple-choice question) */
  chosen?: string[] | null;
  /** superseded: the page of the revision that replaced it */
  successorHref?: string | null;
  /** a decision on a diff's hunks: how many were accepted, whether any was edited */
  hunks?: { accepted: number; total: number; edited: boolean } | null;
  now: Date;
}) {
  const inPart = outcome === "approved" && !!hunks && hunks.accepted < hunks.total;
  // chosen labels alone are stored as the answer too: show them once
  const typed = chosen?.length && text === chosen.join(", ") ? null : text;
  const tone =
    outcome === "rejected"
      ? "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40"
      : outcome === "expired" || outcome === "superseded"
        ? "border-zinc-300 bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800/60"
        : "border-green-300 bg-green-50 dark:border-green-800 dark:bg-green-950/40";
  return (
    <section aria-labelledby="decision-title" className={`rounded-lg border p-4 text-sm ${tone}`}>
      <h2 id="decision-title" className="text-base font-semibold break-words">
        {outcome === "expired"
          ? "Expired: no decision was made"
          : outcome === "superseded"
            ? "Superseded: the agent sent a revision before anyone decided"
            : `${outcome[0]!.toUpperCase() + outcome.slice(1)}${inPart ? " in part" : ""} by ${by ?? "an unknown reviewer"}`}
      </h2>
      {inPart || (outcome === "approved" && hunks?.edited) ? (
        <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">
          {inPart ? `${hunks!.accepted} of ${hunks!.total} hunks accepted` : "Every hunk accepted"}
          {hunks!.edited ? ", edited by the reviewer before approving" : ""}. The agent received the
          diff as applied.
        </p>
      ) : null}
      {at ? (
        <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">
          <TimeAgo date={at} now={now} />
        </p>
      ) : null}
      {successorHref ? (
        <p className="mt-2">
          <Link href={successorHref} className="font-medium underline underline-offset-2">
            Review the revision
          </Link>
        </p>
      ) : null}
      {chosen?.length ? (
        <div className="mt-2">
          <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            {chosen.length === 1 ? "Chosen option" : "Chosen options"}
          </h3>
          <ul className="mt-1 flex flex-wrap gap-1.5" aria-label="Chosen">
            {chosen.map((label) => (
              <li
                key={label}
                className="rounded-md border border-zinc-300 bg-white px-2 py-0.5 break-words dark:border-zinc-600 dark:bg-zinc-900"
              >
                {label}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {typed ? (
        <div className="mt-2">
          <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            {textLabel}
          </h3>
          <p className="mt-1 whitespace-pre-wrap break-words">{typed}</p>
        </div>
      ) : null}
    </section>
  );
}
