import Link from "next/link";
import type { HistoryItem } from "@/db/queries/history";
import { KINDS, pagePath } from "@/lib/domain/kinds";
import { formatDuration } from "@/lib/format";

const OUTCOME_STYLE: Record<HistoryItem["outcome"], string> = {
  approved: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  rejected: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  answered: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  expired: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  superseded: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
};

/** "2026-11-26 13:05 UTC": history shows absolute times (stable across renders). */
function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function HistoryTable({ items }: { items: HistoryItem[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <caption className="sr-only">Decided and expired requests, newest first</caption>
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Request
            </th>
            <th scope="col" className="px-3 py-2">
              Outcome
            </th>
            <th scope="col" className="px-3 py-2">
              Agent
            </th>
            <th scope="col" className="px-3 py-2">
              Decided
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Response time
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((item) => (
            <tr key={`${item.type}:${item.id}`} className="align-top">
              <td className="max-w-sm px-3 py-2">
                <span className="mr-2 text-xs font-semibold uppercase text-zinc-500 dark:text-zinc-400">
                  {KINDS[item.type].words.noun}
                </span>
                <Link
                  href={pagePath(item.type, item.id)}
                  className={`break-words font-medium hover:underline ${item.type === "question" ? "" : "font-mono"}`}
                >
                  {item.title}
                </Link>
                {item.description ? (
                  <p className="line-clamp-2 text-zinc-600 dark:text-zinc-400">
                    {item.description}
                  </p>
                ) : null}
                {item.chosen?.length ? (
                  <p className="line-clamp-2 text-zinc-600 dark:text-zinc-400">
                    Chose: <span className="font-medium">{item.chosen.join(", ")}</span>
                  </p>
                ) : null}
                {/* chosen labels alone are also stored as the answer: not twice */}
                {item.detail && item.detail !== item.chosen?.join(", ") ? (
                  <p className="line-clamp-2 text-zinc-600 italic dark:text-zinc-400">
                    {KINDS[item.type].words.text}: {item.detail}
                  </p>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${OUTCOME_STYLE[item.outcome]}`}
                >
                  {item.partial ? "approved in part" : item.outcome}
                </span>
                {item.edited ? (
                  <span className="ml-1 rounded-full border border-blue-300 px-2 py-0.5 text-xs text-blue-800 dark:border-blue-700 dark:text-blue-300">
                    edited
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <span className="whitespace-nowrap">{item.agentId}</span>
                {item.submittedBy ? (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                    key {item.submittedBy}
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <time dateTime={item.decidedAt.toISOString()} className="whitespace-nowrap">
                  {utc(item.decidedAt)}
                </time>
                <span className="block text-zinc-600 dark:text-zinc-400">
                  {item.outcome === "expired"
                    ? "no one (expired)"
                    : item.outcome === "superseded"
                      ? "no one (a revision replaced it)"
                      : `by ${item.decidedBy ?? "unknown"}`}
                </span>
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                {item.responseTimeMs === null ? "—" : formatDuration(item.responseTimeMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
