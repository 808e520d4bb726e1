import type { RequestKind } from "@/lib/domain/kinds";
import { historySearch, typesFor, type HistoryFilter } from "@/lib/history/params";

const PLURAL: Record<RequestKind, string> = {
  approval: "Approvals",
  question: "Questions",
  tool_call: "Tool calls",
};

/**
 * Downloads of the whole filtered set (not just this page), one file per request type:
 * the tables have different columns, exactly as `COPY <table> … CSV HEADER` and
 * `json_agg(row_to_json(t))` write them.
 */
export function ExportLinks({ filter }: { filter: HistoryFilter }) {
  const types = typesFor(filter);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" aria-label="Export">
      <span className="text-zinc-600 dark:text-zinc-400">Export filtered:</span>
      {types.map((type) =>
        (["csv", "json"] as const).map((format) => {
          const search = historySearch({ ...filter, type });
          const href = `/history/export${search}${search ? "&" : "?"}format=${format}`;
          return (
            <a
              key={`${type}-${format}`}
              href={href}
              download
              className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              {PLURAL[type]} {format.toUpperCase()}
            </a>
          );
        }),
      )}
    </div>
  );
}
