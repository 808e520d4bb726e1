import { formatCount, formatMs } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { ColumnChart } from "../charts";
import { loadResponseStats } from "../data";
import { Approx, Duration, NoDecisions, Panel, table, td, th, num } from "../ui";

const TITLE = "Average response time by request type";

export async function ByTypeSection({
  filter,
  allTimeHref,
}: {
  filter: MetricsFilter;
  allTimeHref?: string;
}) {
  const { byType } = await loadResponseStats(filter);
  const summary =
    byType.length === 0
      ? "No decisions in this period."
      : `${TITLE}: ` +
        byType
          .map(
            (t) => `${t.requestType} ${formatMs(t.avgMs)} over ${formatCount(t.total)} decisions`,
          )
          .join("; ");
  return (
    <Panel title={TITLE} description="Mean and p90 per request type, with how many decisions.">
      {byType.length === 0 ? (
        <NoDecisions allTimeHref={allTimeHref} />
      ) : (
        <>
          <ColumnChart
            summary={summary}
            category="label"
            data={byType.map((t) => ({
              label: `${t.requestType} (${formatCount(t.total)})`,
              avg: t.avgMs,
              p90: t.p90Ms,
            }))}
            series={[
              { key: "avg", name: "Average", kind: "duration", color: 1 },
              { key: "p90", name: "p90", kind: "duration", color: 2 },
            ]}
          />
          <div className="mt-3 overflow-x-auto">
            <table className={table}>
              <thead>
                <tr>
                  <th className={th}>Type</th>
                  <th className={`${th} ${num}`}>Decisions</th>
                  <th className={`${th} ${num}`}>Average</th>
                  <th className={`${th} ${num}`}>
                    <Approx filter={filter} />
                    Median
                  </th>
                  <th className={`${th} ${num}`}>
                    <Approx filter={filter} />
                    p90
                  </th>
                </tr>
              </thead>
              <tbody>
                {byType.map((t) => (
                  <tr key={t.requestType}>
                    <td className={td}>{t.requestType}</td>
                    <td className={`${td} ${num}`}>{formatCount(t.total)}</td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={t.avgMs} />
                    </td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={t.p50Ms} />
                    </td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={t.p90Ms} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
