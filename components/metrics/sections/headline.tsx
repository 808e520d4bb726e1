import Link from "next/link";
import { countEscalations, globalEscalationMinutes } from "@/db/queries/escalation";
import { automaticStats, queueStatus } from "@/db/queries/metrics";
import { formatCount, formatPercent, formatUtc, requestHref } from "@/lib/metrics/format";
import type { MetricsFilter } from "@/lib/metrics/period";
import { loadAgentStats, loadResponseStats } from "../data";
import { Approx, Duration } from "../ui";

function Card({
  label,
  children,
  note,
}: {
  label: React.ReactNode;
  children: React.ReactNode;
  note?: React.ReactNode;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {label}
      </dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{children}</dd>
      {note && <dd className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400">{note}</dd>}
    </div>
  );
}

/** Headline numbers for the period, plus the queue as it is now. */
export async function HeadlineSection({ filter }: { filter: MetricsFilter }) {
  const [{ overall }, queue, { verdicts }, escalations, target, automatic] = await Promise.all([
    loadResponseStats(filter),
    queueStatus(filter),
    loadAgentStats(filter),
    countEscalations(filter.from, filter.to, filter.type),
    globalEscalationMinutes(),
    automaticStats(filter),
  ]);
  const topRules = automatic.byRule
    .slice(0, 3)
    .map((r) => `${r.rule} ${formatCount(r.decisions)}`)
    .join(", ");
  const oldest = queue.oldestPending;
  return (
    <section aria-labelledby="headline-title">
      <h2 id="headline-title" className="sr-only">
        Headline numbers
      </h2>
      {!queue.anyMetrics && (
        <div className="mb-4 rounded-lg border border-dashed border-zinc-300 p-6 text-center dark:border-zinc-700">
          <p className="font-medium">No decisions recorded yet.</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Every approval, rejection and answer is timed. Charts appear here after the first one;
            requests waiting now are counted below.
          </p>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Card label="Decisions" note="by people (timed below)">
          {formatCount(overall.total)}
        </Card>
        <Card label="Average" note="response time">
          <Duration ms={overall.avgMs} />
        </Card>
        <Card
          label={
            <>
              <Approx filter={filter} />
              Median (p50)
            </>
          }
        >
          <Duration ms={overall.p50Ms} />
        </Card>
        <Card
          label={
            <>
              <Approx filter={filter} />
              p90 / p99
            </>
          }
          note={
            <>
              p99 <Duration ms={overall.p99Ms} />
            </>
          }
        >
          <Duration ms={overall.p90Ms} />
        </Card>
        <Card
          label="Approval rate"
          note={`${formatCount(verdicts.approved)} of ${formatCount(verdicts.approvalsDecided)} approvals`}
        >
          {formatPercent(verdicts.approvalRate)}
        </Card>
        <Card label="Slowest">
          <Duration ms={overall.maxMs} />
        </Card>
        <Card label="Pending now" note="waiting for a reviewer">
          {formatCount(queue.pendingNow)}
        </Card>
        <Card
          label="Oldest pending"
          note={
            oldest ? (
              <Link href={requestHref(oldest.requestType, oldest.requestId)} className="underline">
                {oldest.requestType} from {oldest.agentId}
              </Link>
            ) : (
              "nothing waiting"
            )
          }
        >
          {oldest ? (
            <span title={`asked ${formatUtc(oldest.timestamp)}`}>
              <Duration ms={oldest.ageMs} />
            </span>
          ) : (
            "—"
          )}
        </Card>
        <Card
          label="Escalations"
          note={
            target
              ? `breaches of the ${target}-minute target`
              : "no escalation target set (Settings → Webhooks)"
          }
        >
          {formatCount(escalations)}
        </Card>
        <Card
          label="Decided by rules"
          note={automatic.decisions ? topRules : "automatic, not in the response times"}
        >
          {formatCount(automatic.decisions)}
        </Card>
      </dl>
    </section>
  );
}
