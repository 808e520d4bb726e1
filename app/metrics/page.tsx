import { connection } from "next/server";
import { Suspense } from "react";
import { PeriodFilter } from "@/components/metrics/period-filter";
import { ByAgentSection } from "@/components/metrics/sections/by-agent";
import { ByReviewerSection } from "@/components/metrics/sections/by-reviewer";
import { ByTypeSection } from "@/components/metrics/sections/by-type";
import { HeadlineSection } from "@/components/metrics/sections/headline";
import { OverTimeSection } from "@/components/metrics/sections/over-time";
import { SlowestSection } from "@/components/metrics/sections/slowest";
import { PanelSkeleton, chartColours } from "@/components/metrics/ui";
import { requirePagePrincipal } from "@/server/auth/session";
import { describePeriod, filterQuery, fromRollup, parseMetricsFilter } from "@/lib/metrics/period";
import { RELATIVE_ERROR } from "@/lib/metrics/sketch";

export const metadata = { title: "Metrics" };

export default async function MetricsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  await requirePagePrincipal("read");
  const parsed = parseMetricsFilter(await searchParams, new Date());
  const filter = parsed.ok ? parsed.filter : parsed.fallback;
  const issues = parsed.ok ? [] : parsed.issues;
  const allTimeHref =
    filter.period === "all" ? undefined : `/metrics${filterQuery({ ...filter, period: "all" })}`;
  const props = { filter, allTimeHref };
  // a new key per filter: the skeletons show again while the next period loads
  const key = `${filter.period}:${filter.fromInput}:${filter.toInput}:${filter.type}`;

  return (
    <div className={`flex flex-col gap-4 ${chartColours}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">Metrics</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          How fast humans respond, {describePeriod(filter)}
          {filter.type ? `, ${filter.type}s only` : ""}. Hover a time for its exact value.
        </p>
        {fromRollup(filter) && (
          <p className="w-full text-xs text-zinc-600 dark:text-zinc-400" id="metrics-approximate">
            Percentiles marked ≈ (median, p50, p90, p99) are estimated from the metrics rollup (kept
            per day as decisions are recorded), within {RELATIVE_ERROR * 100}% of the exact value;
            counts, averages, minimum and maximum are exact. Periods of two days or less are exact
            throughout.
          </p>
        )}
      </header>
      <PeriodFilter filter={filter} issues={issues} />
      <Suspense key={`h${key}`} fallback={<PanelSkeleton title="Headline numbers" />}>
        <HeadlineSection filter={filter} />
      </Suspense>
      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense
          key={`o${key}`}
          fallback={<PanelSkeleton title="Response time over time" className="lg:col-span-2" />}
        >
          <OverTimeSection {...props} />
        </Suspense>
        <Suspense
          key={`t${key}`}
          fallback={<PanelSkeleton title="Average response time by request type" />}
        >
          <ByTypeSection {...props} />
        </Suspense>
        <Suspense key={`r${key}`} fallback={<PanelSkeleton title="By reviewer" />}>
          <ByReviewerSection {...props} />
        </Suspense>
        <Suspense
          key={`s${key}`}
          fallback={<PanelSkeleton title="Slowest responses" className="lg:col-span-2" />}
        >
          <SlowestSection {...props} />
        </Suspense>
        <Suspense
          key={`a${key}`}
          fallback={<PanelSkeleton title="By agent" className="lg:col-span-2" />}
        >
          <ByAgentSection {...props} />
        </Suspense>
      </div>
    </div>
  );
}
