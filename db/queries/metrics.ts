import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { MetricsFilter, MetricsRequestType } from "@/lib/metrics/period";
import { getDb, rows } from "../client";
import { toUtcDate } from "./inbox";
import {
  overTime,
  slowestResponses,
  statsByAgent,
  statsByReviewer,
  type AgentStats,
  type ReviewerStats,
  type SlowResponse,
  type TimePoint,
} from "./metrics-breakdowns";
import { metricsWhere, num, nowUtc } from "./metrics-sql";

/*
 * Metrics for /metrics and GET /api/v1/metrics. Every number is computed in SQL
 * (percentiles with percentile_cont, i.e. linear interpolation between ranks); no
 * function here loads metrics rows into JavaScript.
 *
 * The period filters hitl_metrics.created_at (when the decision was recorded),
 * half-open [from, to). "Pending now" and the oldest pending request ignore the period:
 * they describe the present. A metrics row whose request was deleted still counts in
 * every figure; it has no agent (reported as agent null) and no approval verdict.
 */

/* ---- headline and by type ------------------------------------------------------------ */

export interface ResponseStats {
  /** hitl_metrics rows (the seed's COUNT(*)) */
  total: number;
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export interface TypeStats extends ResponseStats {
  requestType: string;
}

const statsColumns = sql`
  count(*)::int AS total,
  avg(m.response_time_ms)::float8 AS avg_ms,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY m.response_time_ms) AS p50_ms,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY m.response_time_ms) AS p90_ms,
  percentile_cont(0.99) WITHIN GROUP (ORDER BY m.response_time_ms) AS p99_ms,
  min(m.response_time_ms) AS min_ms,
  max(m.response_time_ms) AS max_ms`;

type StatsRow = Record<
  "total" | "avg_ms" | "p50_ms" | "p90_ms" | "p99_ms" | "min_ms" | "max_ms",
  unknown
>;
const toStats = (r: StatsRow): ResponseStats => ({
  total: Number(r.total),
  avgMs: num(r.avg_ms),
  p50Ms: num(r.p50_ms),
  p90Ms: num(r.p90_ms),
  p99Ms: num(r.p99_ms),
  minMs: num(r.min_ms),
  maxMs: num(r.max_ms),
});

/**
 * Response times over the whole period and per request type, in one scan
 * (GROUPING SETS). `byType` is the seed's "average response time" query
 * (request_type, AVG, COUNT(*)) restricted to the period, plus percentiles.
 */
export async function responseStats(
  f: MetricsFilter,
): Promise<{ overall: ResponseStats; byType: TypeStats[] }> {
  const db = await getDb();
  const result = await rows<StatsRow & { request_type: string | null; g: number }>(
    db,
    sql`SELECT m.request_type, GROUPING(m.request_type)::int AS g, ${statsColumns}
        FROM hitl_metrics m WHERE ${metricsWhere(f)}
        GROUP BY GROUPING SETS ((), (m.request_type))
        ORDER BY g DESC, m.request_type`,
  );
  const overallRow = result.find((r) => Number(r.g) === 1);
  const overall = overallRow
    ? toStats(overallRow)
    : toStats({
        total: 0,
        avg_ms: null,
        p50_ms: null,
        p90_ms: null,
        p99_ms: null,
        min_ms: null,
        max_ms: null,
      });
  const byType = result
    .filter((r) => Number(r.g) === 0)
    .map((r) => ({ requestType: r.request_type as string, ...toStats(r) }));
  return { overall, byType };
}

/* ---- approval verdicts, pending now ------------------------------------------------- */

export interface OldestPending {
  requestType: MetricsRequestType;
  requestId: string;
  agentId: string;
  timestamp: Date;
  ageMs: number;
}

export interface QueueStatus {
  /** approvals decided in the period (metrics rows joined to their approval) */
  approvalsDecided: number;
  approved: number;
  /** approved / approvalsDecided, null when none */
  approvalRate: number | null;
  /** undecided, unexpired requests right now (of the filtered type) */
  pendingNow: number;
  oldestPending: OldestPending | null;
  /** whether hitl_metrics has any row at all (empty state vs. quiet period) */
  anyMetrics: boolean;
}

const openApproval = sql`a.approved IS NULL AND (a.expires_at IS NULL OR a.expires_at > ${nowUtc})`;
const openQuestion = sql`q.response IS NULL AND (q.expires_at IS NULL OR q.expires_at > ${nowUtc})`;

export async function queueStatus(f: MetricsFilter): Promise<QueueStatus> {
  const db = await getDb();
  const wantApprovals = f.type !== "question";
  const wantQuestions = f.type !== "approval";
  const oldest: SQL[] = [];
  if (wantApprovals)
    oldest.push(sql`(SELECT 'approval' AS request_type, a.id, a.agent_id, a.timestamp
      FROM approval_requests a WHERE ${openApproval} ORDER BY a.timestamp LIMIT 1)`);
  if (wantQuestions)
    oldest.push(sql`(SELECT 'question' AS request_type, q.id, q.agent_id, q.timestamp
      FROM question_requests q WHERE ${openQuestion} ORDER BY q.timestamp LIMIT 1)`);
  const verdicts = wantApprovals
    ? sql`SELECT count(a.approved)::int AS decided,
            (count(*) FILTER (WHERE a.approved))::int AS approved
          FROM hitl_metrics m JOIN approval_requests a ON a.id = m.request_id
          WHERE m.request_type = 'approval' AND ${metricsWhere(f)}`
    : sql`SELECT 0 AS decided, 0 AS approved`;
  const pendingA = wantApprovals
    ? sql`(SELECT count(*)::int FROM approval_requests a WHERE ${openApproval})`
    : sql`0`;
  const pendingQ = wantQuestions
    ? sql`(SELECT count(*)::int FROM question_requests q WHERE ${openQuestion})`
    : sql`0`;
  const [r] = await rows<{
    decided: number;
    approved: number;
    pending: number;
    any_metrics: boolean;
    o_type: MetricsRequestType | null;
    o_id: string | null;
    o_agent: string | null;
    o_ts: string | Date | null;
    o_age_ms: number | null;
  }>(
    db,
    sql`SELECT v.decided, v.approved, (${pendingA} + ${pendingQ})::int AS pending,
          EXISTS (SELECT 1 FROM hitl_metrics) AS any_metrics,
          o.request_type AS o_type, o.id AS o_id, o.agent_id AS o_agent, o.timestamp AS o_ts,
          (extract(epoch FROM (${nowUtc} - o.timestamp)) * 1000)::float8 AS o_age_ms
        FROM (${verdicts}) v
        LEFT JOIN (SELECT * FROM (${sql.join(oldest, sql` UNION ALL `)}) u
                   ORDER BY u.timestamp LIMIT 1) o ON TRUE`,
  );
  const decided = Number(r!.decided);
  const approved = Number(r!.approved);
  return {
    approvalsDecided: decided,
    approved,
    approvalRate: decided > 0 ? approved / decided : null,
    pendingNow: Number(r!.pending),
    anyMetrics: Boolean(r!.any_metrics),
    oldestPending:
      r!.o_id && r!.o_type && r!.o_ts !== null
        ? {
            requestType: r!.o_type,
            requestId: r!.o_id,
            agentId: r!.o_agent ?? "",
            timestamp: toUtcDate(r!.o_ts),
            ageMs: Math.max(0, Number(r!.o_age_ms)),
          }
        : null,
  };
}

/* ---- everything (the API) --------------------------------------------------------- */

export interface MetricsReport {
  summary: ResponseStats & Omit<QueueStatus, "anyMetrics">;
  anyMetrics: boolean;
  byType: TypeStats[];
  slowest: SlowResponse[];
  overTime: TimePoint[];
  byAgent: AgentStats[];
  byReviewer: ReviewerStats[];
}

/** All figures for one filter: six queries, in parallel on a server pool. */
export async function getMetrics(f: MetricsFilter, now = new Date()): Promise<MetricsReport> {
  const [stats, queue, slowest, series, byAgent, byReviewer] = await Promise.all([
    responseStats(f),
    queueStatus(f),
    slowestResponses(f),
    overTime(f, now),
    statsByAgent(f),
    statsByReviewer(f),
  ]);
  const { anyMetrics, ...queueRest } = queue;
  return {
    summary: { ...stats.overall, ...queueRest },
    anyMetrics,
    byType: stats.byType,
    slowest,
    overTime: series,
    byAgent,
    byReviewer,
  };
}

export {
  overTime,
  slowestResponses,
  statsByAgent,
  statsByReviewer,
  type AgentStats,
  type ReviewerStats,
  type SlowResponse,
  type TimePoint,
};
