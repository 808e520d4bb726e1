import Link from "next/link";
import { historySearch, type Cursor, type HistoryFilter } from "@/lib/history/params";

const linkClass =
  "rounded border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
const disabledClass =
  "rounded border border-zinc-200 px-3 py-1.5 text-sm text-zinc-400 dark:border-zinc-800 dark:text-zinc-600";

export function HistoryPager({
  filter,
  newer,
  older,
}: {
  filter: HistoryFilter & { per?: number };
  newer: Cursor | null;
  older: Cursor | null;
}) {
  return (
    <nav aria-label="History pages" className="mt-4 flex justify-between">
      {newer ? (
        <Link href={`/history${historySearch(filter, newer)}`} rel="prev" className={linkClass}>
          ← Newer
        </Link>
      ) : (
        <span aria-disabled="true" className={disabledClass}>
          ← Newer
        </span>
      )}
      {older ? (
        <Link href={`/history${historySearch(filter, older)}`} rel="next" className={linkClass}>
          Older →
        </Link>
      ) : (
        <span aria-disabled="true" className={disabledClass}>
          Older →
        </span>
      )}
    </nav>
  );
}
