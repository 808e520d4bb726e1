import Link from "next/link";
import {
  PERIOD_LABELS,
  filterQuery,
  type FilterIssue,
  type MetricsFilter,
  type MetricsRequestType,
  type PeriodKey,
} from "@/lib/metrics/period";

const PRESETS: Exclude<PeriodKey, "custom">[] = ["24h", "7d", "30d", "all"];
const TYPES: [MetricsRequestType | null, string][] = [
  [null, "All requests"],
  ["approval", "Approvals"],
  ["question", "Questions"],
  ["tool_call", "Tool calls"],
];

const pill = (active: boolean) =>
  `rounded-md px-3 py-1.5 text-sm ${
    active
      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
      : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
  }`;

const href = (f: Parameters<typeof filterQuery>[0]) => `/metrics${filterQuery(f)}`;

/** Period and request-type selectors; everything lives in the URL. */
export function PeriodFilter({ filter, issues }: { filter: MetricsFilter; issues: FilterIssue[] }) {
  const keep = { fromInput: filter.fromInput, toInput: filter.toInput };
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      {issues.length > 0 && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <p className="font-medium">That filter was not understood; showing the last 7 days.</p>
          <ul className="list-disc pl-5">
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                {i.path}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
        <nav aria-label="Period">
          <ul className="flex flex-wrap gap-1">
            {PRESETS.map((p) => (
              <li key={p}>
                <Link
                  href={href({ period: p, type: filter.type, fromInput: "", toInput: "" })}
                  aria-current={filter.period === p ? "page" : undefined}
                  className={pill(filter.period === p)}
                >
                  {PERIOD_LABELS[p]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Request type">
          <ul className="flex flex-wrap gap-1">
            {TYPES.map(([t, label]) => (
              <li key={label}>
                <Link
                  href={href({ period: filter.period, type: t, ...keep })}
                  aria-current={filter.type === t ? "page" : undefined}
                  className={pill(filter.type === t)}
                >
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <form
          method="get"
          action="/metrics"
          aria-label="Custom period"
          className="flex flex-wrap items-end gap-2"
        >
          <input type="hidden" name="period" value="custom" />
          {filter.type && <input type="hidden" name="type" value={filter.type} />}
          <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
            From (UTC)
            <input
              type="date"
              name="from"
              defaultValue={/^\d{4}-\d{2}-\d{2}$/.test(filter.fromInput) ? filter.fromInput : ""}
              className="mt-0.5 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
            />
          </label>
          <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
            To (UTC)
            <input
              type="date"
              name="to"
              defaultValue={/^\d{4}-\d{2}-\d{2}$/.test(filter.toInput) ? filter.toInput : ""}
              className="mt-0.5 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
            />
          </label>
          <button
            type="submit"
            className={`${pill(filter.period === "custom")} border border-zinc-300 dark:border-zinc-700`}
          >
            {filter.period === "custom" ? "Update custom period" : "Apply custom period"}
          </button>
        </form>
      </div>
    </div>
  );
}
