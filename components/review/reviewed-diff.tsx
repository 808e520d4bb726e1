import { ReviewDiff } from "@/components/diff/review-diff";
import type { HunkRecord } from "@/lib/diff/review";

/*
 * The diff of an approval or a tool call on its review page: with per-hunk controls while
 * a reviewer decides it; once approved in part or edited, as submitted and as applied
 * side by side (the applied diff is what the agent received), with the hunks' decisions.
 */

export interface ReviewedDiffProps {
  diff: string;
  fallbackPath?: string;
  /** the pending request the reader may decide hunk by hunk (null: read only) */
  decideId: string | null;
  approved: boolean | null;
  hunks: HunkRecord[] | null;
  appliedDiff: string | null;
  edited: boolean | null;
}

function HunkList({ hunks }: { hunks: HunkRecord[] }) {
  const listed = hunks.filter((h) => !h.accepted || h.edited || h.note);
  if (listed.length === 0) return null;
  return (
    <ul
      aria-label="Hunk decisions"
      className="mb-3 divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white text-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {listed.map((h) => (
        <li
          key={`${h.file}#${h.index}`}
          className="flex flex-wrap items-baseline gap-x-2 px-3 py-1.5"
        >
          <span className="font-mono text-xs break-all">{h.file}</span>
          <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{h.header}</span>
          <span
            className={`rounded-full border px-2 text-xs ${h.accepted ? "border-green-300 text-green-800 dark:border-green-800 dark:text-green-300" : "border-red-300 text-red-800 dark:border-red-800 dark:text-red-300"}`}
          >
            {h.accepted ? (h.edited ? "accepted, edited" : "accepted") : "rejected"}
          </span>
          {h.note ? (
            <span className="basis-full whitespace-pre-wrap break-words">{h.note}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function ReviewedDiff(p: ReviewedDiffProps) {
  const partial = p.approved === true && !!p.hunks?.some((h) => !h.accepted);
  const changed = p.approved === true && (partial || p.edited === true) && p.appliedDiff !== null;
  if (!changed) {
    return (
      <>
        {p.hunks && p.approved === false ? <HunkList hunks={p.hunks} /> : null}
        <ReviewDiff
          diff={p.diff}
          fallbackPath={p.fallbackPath}
          decideId={p.decideId ?? undefined}
        />
      </>
    );
  }
  return (
    <>
      <HunkList hunks={p.hunks ?? []} />
      <div className="grid gap-4 xl:grid-cols-2">
        <section aria-labelledby="as-submitted-title" className="min-w-0">
          <h3 id="as-submitted-title" className="mb-2 text-sm font-semibold">
            As submitted
          </h3>
          <ReviewDiff diff={p.diff} fallbackPath={p.fallbackPath} />
        </section>
        <section aria-labelledby="as-applied-title" className="min-w-0">
          <h3 id="as-applied-title" className="mb-2 text-sm font-semibold">
            As applied{" "}
            <span className="font-normal text-zinc-600 dark:text-zinc-400">
              (what the agent received)
            </span>
          </h3>
          {p.appliedDiff ? (
            <ReviewDiff
              diff={p.appliedDiff}
              fallbackPath={p.fallbackPath}
              comments={false}
              anchorPrefix="applied-"
            />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing to apply.</p>
          )}
        </section>
      </div>
    </>
  );
}
