import "server-only";
import { sql } from "drizzle-orm";
import { bucketForAll, fromRollup, type Bucket, type MetricsFilter } from "@/lib/metrics/period";
import { sketchPercentile } from "@/lib/metrics/sketch";
import { toUtcDate } from "./inbox";
import { overTimeCells, sketchesBy } from "./metrics-rollup";
import { floatArray, metricsRows, metricsWhere, num, requestJoins, ts } from "./metrics-sql";

/*
 * Breakdowns for /metrics: slowest responses, over time, by agent, by reviewer.
 * Same rules as metrics.ts: aggregation in SQL, the period filters
 * hitl_metrics.created_at.
 */

/* ---- slowest ---------------------------------------------------------------------- */

export interface SlowResponse {
  requestType: string;
  requestId: string;
  responseTimeMs: number;
  createdAt: Date;
  userId: string | null;
  /** null when the request row no longer exists */
  agentId: string | null;
  /** file path of an approval, text of a question, title of a tool call */
  title: string | null;
}

/**
 * The seed's "slowest responses" (ORDER BY response_time_ms DESC LIMIT 10) in the
 * period, with what a link needs. Rows without a response time are left out (the seed's
 * DESC would list NULLs first); ties are broken by id.
 */
export async function slowestResponses(f: MetricsFilter, limit = 10): Promise<SlowResponse[]> {
  const result = await metricsRows<{
    request_type: string;
    request_id: string;
    response_time_ms: number;
    created_at: string | Date;
    user_id: string | null;
    agent_id: string | null;
    title: string | null;
  }>(
    sql`SELECT s.request_type, s.request_id, s.response_time_ms, s.created_at, s.user_id,
          coalesce(a.agent_id, q.agent_id, tc.agent_id) AS agent_id, coalesce(a.file_path, q.question, tc.title) AS title
        FROM (SELECT m.id, m.request_type, m.request_id, m.response_time_ms, m.created_at, m.user_id
              FROM hitl_metrics m
              WHERE ${metricsWhere(f)} AND m.response_time_ms IS NOT NULL
              ORDER BY m.response_time_ms DESC NULLS LAST, m.id LIMIT ${limit}) s
        LEFT JOIN approval_requests a ON s.request_type = 'approval' AND a.id = s.request_id
        LEFT JOIN question_requests q ON s.request_type = 'question' AND q.id = s.request_id
        LEFT JOIN tool_call_requests tc ON s.request_type = 'tool_call' AND tc.id = s.request_id
        ORDER BY s.response_time_ms DESC NULLS LAST, s.id`,
  );
  return result.map((r) => ({
    requestType: r.request_type,
    requestId: r.request_id,
    responseTimeMs: Number(r.response_time_ms),
    createdAt: toUtcDate(r.created_at),
    userId: r.user_id,
    agentId: r.agent_id,
    title: r.title,
  }));
}

/* ---- over time -------------------------------------------------------------------- */

export interface TimePoint {
  /** start of the hour or UTC day */
  start: Date;
  decisions: number;
  avgMs: number | null;
  p90Ms: number | null;
}

/**
 * The bucket width of the over-time chart: the filter's, or for "all" (no lower bound)
 * the one that fits the data's real span (lib/metrics/period.ts: at most 400 points).
 */
export async function overTimeBucket(f: MetricsFilter, now = new Date()): Promise<Bucket> {
  if (f.from) return f.bucket;
  const [row] = await metricsRows<{ first: string | Date | null }>(
    sql`SELECT min(m.created_at) AS first FROM hitl_metrics m WHERE ${metricsWhere(f)}`,
  );
  return bucketForAll(row?.first ? toUtcDate(row.first) : null, f.to, now);
}

/**
 * One point per bucket (overTimeBucket) from the period's start (or the first metrics
 * row, for "all") to its end, empty buckets included with 0 decisions.
 */
export async function overTime(f: MetricsFilter, now = new Date()): Promise<TimePoint[]> {
  const bucket = await overTimeBucket(f, now);
  // BUCKETS is a closed list of date_trunc units: safe to inline
  const unit = sql.raw(`'${bucket}'`);
  const step = sql.raw(`interval '1 ${bucket}'`);
  const first = f.from
    ? ts(f.from)
    : sql`(SELECT min(m.created_at) FROM hitl_metrics m WHERE ${metricsWhere(f)})`;
  // the last bucket holds the instant just before `to` (exclusive) or now
  const last = f.to ? sql`(${ts(f.to)} - interval '1 microsecond')` : ts(now);
  const series = sql`SELECT generate_series(date_trunc(${unit}, ${first}), date_trunc(${unit}, ${last}), ${step}) AS start`;
  if (fromRollup(f)) {
    const cells = overTimeCells(f, (day) =>
      bucket === "day" ? day : sql`date_trunc(${unit}, ${day})`,
    );
    const found = await metricsRows<Record<string, unknown> & { start: string | Date }>(
      sql`WITH agg AS (${cells}), series AS (${series})
          SELECT s.start, coalesce(agg.decisions, 0) AS decisions, agg.avg_ms, agg.timed,
                 agg.min_ms, agg.max_ms, agg.lo, agg.hi
            FROM series s LEFT JOIN agg ON agg.start = s.start
           ORDER BY s.start`,
    );
    return found.map((r) => ({
      start: toUtcDate(r.start),
      decisions: Number(r.decisions),
      avgMs: num(r.avg_ms),
      p90Ms: sketchPercentile(
        0.9,
        Number(r.timed ?? 0),
        num(r.lo),
        num(r.hi),
        num(r.min_ms),
        num(r.max_ms),
      ),
    }));
  }
  const result = await metricsRows<{
    start: string | Date;
    decisions: number;
    avg_ms: number | null;
    p90_ms: number | null;
  }>(
    sql`WITH agg AS (
          SELECT date_trunc(${unit}, m.created_at) AS start, count(*)::int AS decisions,
            avg(m.response_time_ms)::float8 AS avg_ms,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY m.response_time_ms) AS p90_ms
          FROM hitl_metrics m WHERE ${metricsWhere(f)} GROUP BY 1
        ), series AS (${series})
        SELECT s.start, coalesce(agg.decisions, 0) AS decisions, agg.avg_ms, agg.p90_ms
        FROM series s LEFT JOIN agg ON agg.start = s.start
        ORDER BY s.start`,
  );
  return result.map((r) => ({
    start: toUtcDate(r.start),
    decisions: Number(r.decisions),
    avgMs: num(r.avg_ms),
    p90Ms: num(r.p90_ms),
  }));
}

/* ---- by agent, by reviewer -------------------------------------------------------- */

export interface AgentStats {
  /** null for decisions whose request row no longer exists */
  agentId: string | null;
  decisions: number;
  /** the seed's "stats by agent" on the period's decided approvals */
  approvals: number;
  approved: number;
  approvalRate: number | null;
  questions: number;
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
}

export interface AgentBreakdown {
  agents: AgentStats[];
  /** all agents together: the headline approval rate */
  verdicts: { approvalsDecided: number; approved: number; approvalRate: number | null };
}

/**
 * The seed's "stats by agent" (COUNT, SUM(CASE WHEN approved …)) on the period's
 * decisions, plus answered questions and response times; slowest average first.
 * The totals over all agents come from a window over the grouped rows.
 */
export async function statsByAgent(f: MetricsFilter): Promise<AgentBreakdown> {
  if (fromRollup(f)) return rollupByAgent(f);
  const result = await metricsRows<Record<string, unknown>>(
    sql`SELECT coalesce(a.agent_id, q.agent_id, tc.agent_id) COLLATE "C" AS agent_id, count(*)::int AS decisions,
          count(a.approved)::int AS approvals,
          (count(*) FILTER (WHERE a.approved))::int AS approved,
          count(q.id)::int AS questions,
          avg(m.response_time_ms)::float8 AS avg_ms,
          percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY m.response_time_ms) AS pct,
          (sum(count(a.approved)) OVER ())::int AS all_approvals,
          (sum(count(*) FILTER (WHERE a.approved)) OVER ())::int AS all_approved
        FROM hitl_metrics m ${requestJoins}
        WHERE ${metricsWhere(f)}
        GROUP BY 1
        ORDER BY avg_ms DESC NULLS LAST, agent_id NULLS LAST`,
  );
  const agents = result.map((r) => {
    const approvals = Number(r.approvals);
    const approved = Number(r.approved);
    const [p50 = null, p90 = null] = floatArray(r.pct);
    return {
      agentId: (r.agent_id as string | null) ?? null,
      decisions: Number(r.decisions),
      approvals,
      approved,
      approvalRate: approvals > 0 ? approved / approvals : null,
      questions: Number(r.questions),
      avgMs: num(r.avg_ms),
      p50Ms: p50,
      p90Ms: p90,
    };
  });
  return breakdown(
    agents,
    Number(result[0]?.all_approvals ?? 0),
    Number(result[0]?.all_approved ?? 0),
  );
}

const breakdown = (agents: AgentStats[], approvalsDecided: number, approved: number) => ({
  agents,
  verdicts: {
    approvalsDecided,
    approved,
    approvalRate: approvalsDecided > 0 ? approved / approvalsDecided : null,
  },
});

export interface ReviewerStats {
  /** hitl_metrics.user_id; null when it was not recorded */
  userId: string | null;
  decisions: number;
  medianMs: number | null;
  avgMs: number | null;
}

export async function statsByReviewer(f: MetricsFilter): Promise<ReviewerStats[]> {
  if (fromRollup(f)) return rollupByReviewer(f);
  const result = await metricsRows<Record<string, unknown>>(
    sql`SELECT m.user_id COLLATE "C" AS user_id, count(*)::int AS decisions,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY m.response_time_ms) AS median_ms,
          avg(m.response_time_ms)::float8 AS avg_ms
        FROM hitl_metrics m WHERE ${metricsWhere(f)}
        GROUP BY 1
        ORDER BY median_ms DESC NULLS LAST, user_id NULLS LAST`,
  );
  return result.map((r) => ({
    userId: (r.user_id as string | null) ?? null,
    decisions: Number(r.decisions),
    medianMs: num(r.median_ms),
    avgMs: num(r.avg_ms),
  }));
}

/* ---- the same from the rollup (long periods; percentiles within 1%) ------------------ */

/** Slowest first (null last), then by name in code-point order (COLLATE "C"), null last. */
function bySlowest<T>(value: (x: T) => number | null, name: (x: T) => string | null) {
  return (a: T, b: T) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) return va === null ? 1 : vb === null ? -1 : vb - va;
    const na = name(a);
    const nb = name(b);
    if (na === nb) return 0;
    return na === null ? 1 : nb === null ? -1 : na < nb ? -1 : 1;
  };
}

async function rollupByAgent(f: MetricsFilter): Promise<AgentBreakdown> {
  const found = await sketchesBy(f, "agent", [sql`src.key`], [0.5, 0.9]);
  const agents: AgentStats[] = found
    .map((x) => ({
      agentId: (x.g as string | null) ?? null,
      decisions: x.total,
      approvals: x.approvals,
      approved: x.approved,
      approvalRate: x.approvals > 0 ? x.approved / x.approvals : null,
      questions: x.questions,
      avgMs: x.avgMs,
      p50Ms: x.pct[0] ?? null,
      p90Ms: x.pct[1] ?? null,
    }))
    .sort(
      bySlowest(
        (a) => a.avgMs,
        (a) => a.agentId,
      ),
    );
  return breakdown(
    agents,
    agents.reduce((n, a) => n + a.approvals, 0),
    agents.reduce((n, a) => n + a.approved, 0),
  );
}

async function rollupByReviewer(f: MetricsFilter): Promise<ReviewerStats[]> {
  const found = await sketchesBy(f, "reviewer", [sql`src.key`], [0.5]);
  return found
    .map((x) => ({
      userId: (x.g as string | null) ?? null,
      decisions: x.total,
      medianMs: x.pct[0] ?? null,
      avgMs: x.avgMs,
    }))
    .sort(
      bySlowest(
        (r) => r.medianMs,
        (r) => r.userId,
      ),
    );
}
