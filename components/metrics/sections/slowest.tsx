import Link from "next/link";
import { slowestResponses } from "@/db/queries/metrics";
import { formatMs, formatUtc, requestHref } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { RowChart } from "../charts";
import { Duration, NoDecisions, Panel, num, table, td, th } from "../ui";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The seed's "slowest responses": the ten slowest, charted and linked. */
export async function SlowestSection({
  filter,
  allTimeHref,
}: {
  filter: MetricsFilter;
  allTimeHref?: string;
}) {
  const slow = await slowestResponses(filter);
  const label = (s: (typeof slow)[number], i: number) =>
    `${i + 1}. ${clip(s.title ?? `${s.requestType} (deleted)`, 24)}`;
  const summary = slow.length
    ? `The ${slow.length} slowest responses, from ${formatMs(slow[0]!.responseTimeMs)} down to ${formatMs(slow[slow.length - 1]!.responseTimeMs)}.`
    : "No decisions in this period.";
  return (
    <Panel
      title="Slowest responses"
      description="The ten longest waits for a human in the period."
      className="lg:col-span-2"
    >
      {slow.length === 0 ? (
        <NoDecisions allTimeHref={allTimeHref} />
      ) : (
        <div className="flex flex-col gap-4">
          <RowChart
            summary={summary}
            category="label"
            data={slow.map((s, i) => ({ label: label(s, i), ms: s.responseTimeMs }))}
            series={[{ key: "ms", name: "Response time", kind: "duration", color: 2 }]}
          />
          <div className="overflow-x-auto">
            <table className={table}>
              <thead>
                <tr>
                  <th className={th}>#</th>
                  <th className={th}>Request</th>
                  <th className={th}>Agent</th>
                  <th className={th}>Reviewer</th>
                  <th className={`${th} ${num}`}>Waited</th>
                </tr>
              </thead>
              <tbody>
                {slow.map((s, i) => (
                  <tr key={`${s.requestType}:${s.requestId}`}>
                    <td className={`${td} tabular-nums text-zinc-500`}>{i + 1}</td>
                    <td className={`${td} max-w-56`}>
                      <span className="mr-1.5 text-xs uppercase text-zinc-500">
                        {s.requestType}
                      </span>
                      {s.title !== null ? (
                        <Link
                          href={requestHref(s.requestType, s.requestId)}
                          className="font-mono text-xs text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
                          title={`${s.title} — decided ${formatUtc(s.createdAt)}`}
                        >
                          {clip(s.title, 80)}
                        </Link>
                      ) : (
                        <span className="text-xs text-zinc-500" title={s.requestId}>
                          request deleted
                        </span>
                      )}
                    </td>
                    <td className={`${td} text-xs`}>{s.agentId ?? "—"}</td>
                    <td className={`${td} text-xs`}>{s.userId ?? "—"}</td>
                    <td className={`${td} ${num} whitespace-nowrap`}>
                      <Duration ms={s.responseTimeMs} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Panel>
  );
}
