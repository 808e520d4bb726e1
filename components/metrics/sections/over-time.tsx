import { overTimeBucket, overTime } from "@/db/queries/metrics";
import { bucketLabel, bucketPlural, formatCount, formatMs } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { ColumnChart, TrendChart } from "../charts";
import { Duration, NoDecisions, Panel, TableDetails, num, table, td, th } from "../ui";

/** Response time per hour/day as lines, and decisions per hour/day as columns. */
export async function OverTimeSection({
  filter,
  allTimeHref,
}: {
  filter: MetricsFilter;
  allTimeHref?: string;
}) {
  const [points, unit] = await Promise.all([overTime(filter), overTimeBucket(filter)]);
  const total = points.reduce((n, p) => n + p.decisions, 0);
  const data = points.map((p) => ({
    label: bucketLabel(p.start, unit),
    avg: p.avgMs,
    p90: p.p90Ms,
    decisions: p.decisions,
  }));
  const busiest = points.reduce((b, p) => (p.decisions > (b?.decisions ?? -1) ? p : b), points[0]);
  const slowest = points.reduce(
    (b, p) => (p.p90Ms !== null && p.p90Ms > (b?.p90Ms ?? -1) ? p : b),
    undefined as (typeof points)[number] | undefined,
  );
  const trendSummary = slowest
    ? `Response time per ${unit}, ${points.length} ${bucketPlural(unit)}: highest p90 ${formatMs(slowest.p90Ms)} on ${bucketLabel(slowest.start, unit)}.`
    : "No decisions in this period.";
  const countSummary = busiest
    ? `Decisions per ${unit}: ${formatCount(total)} in total, most on ${bucketLabel(busiest.start, unit)} (${formatCount(busiest.decisions)}).`
    : "No decisions in this period.";
  return (
    <>
      <Panel
        title="Response time over time"
        description={`Average and p90 per ${unit} (UTC). Gaps are ${bucketPlural(unit)} without decisions.`}
        className="lg:col-span-2"
      >
        {total === 0 ? (
          <NoDecisions allTimeHref={allTimeHref} />
        ) : (
          <>
            <TrendChart
              summary={trendSummary}
              category="label"
              data={data}
              series={[
                { key: "avg", name: "Average", kind: "duration", color: 1 },
                { key: "p90", name: "p90", kind: "duration", color: 2 },
              ]}
            />
            <TableDetails summary={`Show as a table (${points.length} ${bucketPlural(unit)})`}>
              <table className={table}>
                <thead>
                  <tr>
                    <th className={th}>{`${unit[0]!.toUpperCase()}${unit.slice(1)} (UTC)`}</th>
                    <th className={`${th} ${num}`}>Decisions</th>
                    <th className={`${th} ${num}`}>Average</th>
                    <th className={`${th} ${num}`}>p90</th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((p) => (
                    <tr key={p.start.toISOString()}>
                      <td className={td}>{bucketLabel(p.start, unit)}</td>
                      <td className={`${td} ${num}`}>{formatCount(p.decisions)}</td>
                      <td className={`${td} ${num}`}>
                        <Duration ms={p.avgMs} />
                      </td>
                      <td className={`${td} ${num}`}>
                        <Duration ms={p.p90Ms} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableDetails>
          </>
        )}
      </Panel>
      <Panel
        title={`Decisions per ${unit}`}
        description={`${formatCount(total)} decisions in the period (UTC ${bucketPlural(unit)}).`}
        className="lg:col-span-2"
      >
        {total === 0 ? (
          <NoDecisions allTimeHref={allTimeHref} />
        ) : (
          <ColumnChart
            summary={countSummary}
            category="label"
            data={data}
            height={200}
            series={[{ key: "decisions", name: "Decisions", kind: "count", color: 3 }]}
          />
        )}
      </Panel>
    </>
  );
}
