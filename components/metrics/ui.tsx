import Link from "next/link";
import { exactMs, formatMs } from "@/lib/metrics/format";
import { fromRollup, type MetricsFilter } from "@/lib/metrics/period";

/* Building blocks of the /metrics page (server components, no browser code). */

/** Chart colours for light and dark (prefers-color-scheme), read by components/metrics/charts. */
export const chartColours =
  "[--chart-1:#2563eb] [--chart-2:#d97706] [--chart-3:#059669] [--chart-grid:#e4e4e7] [--chart-text:#52525b] [--chart-cursor:rgba(113,113,122,0.12)] " +
  "dark:[--chart-1:#60a5fa] dark:[--chart-2:#fbbf24] dark:[--chart-3:#34d399] dark:[--chart-grid:#3f3f46] dark:[--chart-text:#a1a1aa] dark:[--chart-cursor:rgba(161,161,170,0.15)]";

export function slug(title: string) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A titled region: `getByRole("region", { name: title })`. */
export function Panel({
  title,
  description,
  children,
  className = "",
}: {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  const id = `panel-${slug(title)}`;
  return (
    <section
      aria-labelledby={id}
      className={`min-w-0 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {description && (
        <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      )}
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function PanelSkeleton({ title, className = "" }: { title: string; className?: string }) {
  return (
    <section
      aria-label={`${title} (loading)`}
      aria-busy="true"
      className={`rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      <p className="text-base font-semibold text-zinc-400 dark:text-zinc-500">{title}</p>
      <div className="mt-3 h-56 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
    </section>
  );
}

/** "3 min 12 s", exact milliseconds on hover. */
export function Duration({ ms }: { ms: number | null | undefined }) {
  return (
    <span title={exactMs(ms)} className="tabular-nums">
      {formatMs(ms)}
    </span>
  );
}

/** A period (or filter) with no decisions. */
export function NoDecisions({ allTimeHref }: { allTimeHref?: string }) {
  return (
    <p className="rounded-md border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
      No decisions in this period.
      {allTimeHref && (
        <>
          {" "}
          <Link
            href={allTimeHref}
            className="font-medium text-blue-700 underline dark:text-blue-400"
          >
            Show all time
          </Link>
        </>
      )}
    </p>
  );
}

export const table = "w-full text-left text-sm";
export const th =
  "border-b border-zinc-200 px-2 py-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400";
export const td = "border-b border-zinc-100 px-2 py-1.5 dark:border-zinc-800/60";
export const num = "text-right tabular-nums";

/** A table shown under its chart as the chart's text alternative. */
export function TableDetails({
  summary,
  open = false,
  children,
}: {
  summary: string;
  open?: boolean;
  children: React.ReactNode;
}) {
  return (
    <details open={open} className="mt-3 group">
      <summary className="cursor-pointer text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        {summary}
      </summary>
      <div className="mt-2 overflow-x-auto">{children}</div>
    </details>
  );
}

/** "≈ " before a percentile's label when the period's percentiles are estimates (the rollup). */
export function Approx({ filter }: { filter: MetricsFilter }) {
  if (!fromRollup(filter)) return null;
  return (
    <abbr title="estimated from the rollup, within 1%" className="no-underline">
      ≈{" "}
    </abbr>
  );
}
