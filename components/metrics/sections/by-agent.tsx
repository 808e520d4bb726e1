import { formatCount, formatMs, formatPercent } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { RowChart } from "../charts";
import { loadAgentStats } from "../data";
import { Approx, Duration, NoDecisions, Panel, num, table, td, th } from "../ui";

const UNKNOWN = "(request deleted)";

/** The seed's "stats by agent" for the period, with response times. */
export async function ByAgentSection({
  filter,
  allTimeHref,
}: {
  filter: MetricsFilter;
  allTimeHref?: string;
}) {
  const { agents } = await loadAgentStats(filter);
  const slowest = agents[0];
  const summary = slowest
    ? `Response time by agent, ${agents.length} agents; slowest answered: ${slowest.agentId ?? UNKNOWN} with an average of ${formatMs(slowest.avgMs)}.`
    : "No decisions in this period.";
  return (
    <Panel
      title="By agent"
      description="How long each agent's requests waited, and how many of its changes were approved."
      className="lg:col-span-2"
    >
      {agents.length === 0 ? (
        <NoDecisions allTimeHref={allTimeHref} />
      ) : (
        <>
          <RowChart
            summary={summary}
            category="agent"
            data={agents
              .slice(0, 12)
              .map((a) => ({ agent: a.agentId ?? UNKNOWN, avg: a.avgMs, p90: a.p90Ms }))}
            series={[
              { key: "avg", name: "Average", kind: "duration", color: 1 },
              { key: "p90", name: "p90", kind: "duration", color: 2 },
            ]}
          />
          <div className="mt-3 overflow-x-auto">
            <table className={table}>
              <thead>
                <tr>
                  <th className={th}>Agent</th>
                  <th className={`${th} ${num}`}>Decisions</th>
                  <th className={`${th} ${num}`} title="approved of decided approvals">
                    Approved
                  </th>
                  <th className={`${th} ${num}`}>Rate</th>
                  <th className={`${th} ${num}`}>Average</th>
                  <th className={`${th} ${num}`}>
                    <Approx filter={filter} />
                    p90
                  </th>
                </tr>
              </thead>
              <tbody>
                {agents.map((a) => (
                  <tr key={a.agentId ?? ""}>
                    <td className={`${td} text-xs`}>{a.agentId ?? UNKNOWN}</td>
                    <td className={`${td} ${num}`}>{formatCount(a.decisions)}</td>
                    <td className={`${td} ${num}`}>
                      {formatCount(a.approved)} / {formatCount(a.approvals)}
                    </td>
                    <td className={`${td} ${num}`}>{formatPercent(a.approvalRate)}</td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={a.avgMs} />
                    </td>
                    <td className={`${td} ${num}`}>
                      <Duration ms={a.p90Ms} />
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
