import { statsByReviewer } from "@/db/queries/metrics";
import { formatCount, formatMs } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { RowChart } from "../charts";
import { Approx, Duration, NoDecisions, Panel, num, table, td, th } from "../ui";

const UNRECORDED = "(not recorded)";

/** Decisions and median response time per hitl_metrics.user_id, slowest first. */
export async function ByReviewerSection({
  filter,
  allTimeHref,
}: {
  filter: MetricsFilter;
  allTimeHref?: string;
}) {
  const reviewers = await statsByReviewer(filter);
  const slowest = reviewers[0];
  const summary = slowest
    ? `Median response time by reviewer, ${reviewers.length} reviewers; slowest: ${slowest.userId ?? UNRECORDED} at ${formatMs(slowest.medianMs)}.`
    : "No decisions in this period.";
  return (
    <Panel title="By reviewer" description="Who decided, and their median time to respond.">
      {reviewers.length === 0 ? (
        <NoDecisions allTimeHref={allTimeHref} />
      ) : (
        <>
          <RowChart
            summary={summary}
            category="reviewer"
            data={reviewers
              .slice(0, 12)
              .map((r) => ({ reviewer: r.userId ?? UNRECORDED, median: r.medianMs }))}
            series={[{ key: "median", name: "Median", kind: "duration", color: 3 }]}
          />
          <div className="mt-3 overflow-x-auto">
            <table className={table}>
              <thead>
                <tr>
                  <th className={th}>Reviewer</th>
                  <th className={`${th} ${num}`}>Decisions</th>
                  <th className={`${th} ${num}`}>
                    <Approx filter={filter} />
                    Median
                  </th>
                  <th className={`${th} ${num}`}>Average</th>
                </tr>
              </thead>
              <tbody>
                {reviewers.map((r) => (
                  <tr key={r.userId ?? ""}>
                    <td className={`${td} text-xs`}>{r.userId ?? UNRECORDED}</td>
                    <td className={`${td} ${num}`}>{formatCount(r.decisions)}</td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={r.medianMs} />
                    </td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={r.avgMs} />
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
