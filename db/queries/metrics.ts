import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import {
  fromRollup,
  type Bucket,
  type MetricsFilter,
  type MetricsRequestType,
} from "@/lib/metrics/period";
import { getDb, rows } from "../client";
import { toUtcDate } from "./inbox";
import {
  overTime,
  overTimeBucket,
  slowestResponses,
  statsByAgent,
  statsByReviewer,
  type AgentStats,
  type ReviewerStats,
  type SlowResponse,
  type TimePoint,
} from "./metrics-breakdowns";
import { sketchesBy } from "./metrics-rollup";
import { floatArray, metricsRows, metricsWhere, num, nowUtc } from "./metrics-sql";

/*
 * Metrics for /metrics and GET /api/v1/metrics. Every number is computed in SQL
 * (percentiles with percentile_cont, i.e. linear interpolation between ranks); no
 * function here loads metrics rows into JavaScript. Periods longer than two days are
 * read from the rollup (metrics-rollup.ts, lib/metrics/period.ts fromRollup): the same
 * figures, percentiles within 1%.
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

const TYPES = REQUEST_KINDS;

/** count, avg, p50/p90/p99, min, max of the rows matching `where`, columns prefixed. */
function statsColumns(prefix: string, where: SQL) {
  const col = (name: string) => sql.raw(`"${prefix}${name}"`);
  return sql`
    (count(*) FILTER (WHERE ${where}))::int AS ${col("total")},
    (avg(m.response_time_ms) FILTER (WHERE ${where}))::float8 AS ${col("avg_ms")},
    percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY m.response_time_ms)
      FILTER (WHERE ${where}) AS ${col("pct")},
    min(m.response_time_ms) FILTER (WHERE ${where}) AS ${col("min_ms")},
    max(m.response_time_ms) FILTER (WHERE ${where}) AS ${col("max_ms")}`;
}

const toStats = (r: Record<string, unknown>, prefix: string): ResponseStats => {
  const [p50 = null, p90 = null, p99 = null] = floatArray(r[`${prefix}pct`]);
  return {
    total: Number(r[`${prefix}total`]),
    avgMs: num(r[`${prefix}avg_ms`]),
    p50Ms: p50,
    p90Ms: p90,
    p99Ms: p99,
    minMs: num(r[`${prefix}min_ms`]),
    maxMs: num(r[`${prefix}max_ms`]),
  };
};

/**
 * Response times over the whole period and per request type. `byType` is the seed's
 * "average response time" query (request_type, AVG, COUNT(*)) restricted to the
 * period, plus percentiles, for the two request types of the API (types with no
 * decision are left out, as GROUP BY would). One scan and no grouping sort: the per-type
 * figures are FILTERed aggregates (measured cheaper than GROUP BY or GROUPING SETS).
 */
export async function responseStats(
  f: MetricsFilter,
): Promise<{ overall: ResponseStats; byType: TypeStats[] }> {
  if (fromRollup(f)) return rollupResponseStats(f);
  const columns = [
    statsColumns("all_", sql`TRUE`),
    ...TYPES.map((t) => statsColumns(`${t}_`, sql`m.request_type = ${t}`)),
  ];
  const [r] = await metricsRows<Record<string, unknown>>(
    sql`SELECT ${sql.join(columns, sql`, `)} FROM hitl_metrics m WHERE ${metricsWhere(f)}`,
  );
  return {
    overall: toStats(r!, "all_"),
    byType: TYPES.map((t) => ({ requestType: t as string, ...toStats(r!, `${t}_`) })).filter(
      (t) => t.total > 0,
    ),
  };
}

const QUANTILES = [0.5, 0.9, 0.99] as const;

/** responseStats from the rollup (long periods; percentiles within 1%). */
async function rollupResponseStats(
  f: MetricsFilter,
): Promise<{ overall: ResponseStats; byType: TypeStats[] }> {
  // each type's rows and the all-types rows ('*'): the headline needs no merging of types
  const found = await sketchesBy(f, "type", [sql`src.request_type::text`], QUANTILES, "both");
  const stats = (g: string): ResponseStats => {
    const x = found.find((r) => r.g === g);
    return {
      total: x?.total ?? 0,
      avgMs: x?.avgMs ?? null,
      p50Ms: x?.pct[0] ?? null,
      p90Ms: x?.pct[1] ?? null,
      p99Ms: x?.pct[2] ?? null,
      minMs: x?.minMs ?? null,
      maxMs: x?.maxMs ?? null,
    };
  };
  return {
    overall: stats(f.type ?? "*"),
    byType: TYPES.map((t) => ({ requestType: t as string, ...stats(t) })).filter(
      (t) => t.total > 0,
    ),
  };
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
  /** undecided, unexpired requests right now (of the filtered type) */
  pendingNow: number;
  oldestPending: OldestPending | null;
  /** whether hitl_metrics has any row at all (empty state vs. quiet period) */
  anyMetrics: boolean;
}

/** Each kind's table and its test of "undecided" (pending unless expired). */
const OPEN: Record<RequestKind, { table: SQL; undecided: SQL }> = {
  approval: {
    table: sql`approval_requests`,
    undecided: sql`r.approved IS NULL AND r.superseded_by IS NULL`,
  },
  question: { table: sql`question_requests`, undecided: sql`r.response IS NULL` },
  tool_call: { table: sql`tool_call_requests`, undecided: sql`r.approved IS NULL` },
};
const open = (k: RequestKind) =>
  sql`${OPEN[k].undecided} AND (r.expires_at IS NULL OR r.expires_at > ${nowUtc})`;

export async function queueStatus(f: MetricsFilter): Promise<QueueStatus> {
  const db = await getDb();
  const kinds = REQUEST_KINDS.filter((k) => !f.type || f.type === k);
  const oldest = kinds.map(
    (k) => sql`(SELECT ${k}::text AS request_type, r.id, r.agent_id, r.timestamp
      FROM ${OPEN[k].table} r WHERE ${open(k)} ORDER BY r.timestamp LIMIT 1)`,
  );
  const pending = sql.join(
    kinds.map((k) => sql`(SELECT count(*)::int FROM ${OPEN[k].table} r WHERE ${open(k)})`),
    sql` + `,
  );
  const [r] = await rows<{
    pending: number;
    any_metrics: boolean;
    o_type: MetricsRequestType | null;
    o_id: string | null;
    o_agent: string | null;
    o_ts: string | Date | null;
    o_age_ms: number | null;
  }>(
    db,
    sql`SELECT (${pending})::int AS pending,
          EXISTS (SELECT 1 FROM hitl_metrics) AS any_metrics,
          o.request_type AS o_type, o.id AS o_id, o.agent_id AS o_agent, o.timestamp AS o_ts,
          (extract(epoch FROM (${nowUtc} - o.timestamp)) * 1000)::float8 AS o_age_ms
        FROM (SELECT 1) one
        LEFT JOIN (SELECT * FROM (${sql.join(oldest, sql` UNION ALL `)}) u
                   ORDER BY u.timestamp LIMIT 1) o ON TRUE`,
  );
  return {
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

/* ---- decisions rules made (not timed: they are not human response times) ----------- */

export interface AutomaticStats {
  decisions: number;
  byRule: { rule: string; decisions: number }[];
}

/** Decisions made by rules in the period, per rule (user_id "rule:<name>"). */
export async function automaticStats(f: MetricsFilter): Promise<AutomaticStats> {
  const found = await metricsRows<{ rule: string | null; decisions: number }>(
    sql`SELECT regexp_replace(m.user_id, '^rule:', '') AS rule, count(*)::int AS decisions
          FROM hitl_metrics m WHERE ${metricsWhere(f, true)}
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
  );
  const byRule = found.map((r) => ({ rule: r.rule ?? "", decisions: Number(r.decisions) }));
  return { decisions: byRule.reduce((n, r) => n + r.decisions, 0), byRule };
}

/* ---- everything (the API) --------------------------------------------------------- */

export interface MetricsReport {
  summary: ResponseStats &
    Omit<QueueStatus, "anyMetrics"> & {
      /** approvals decided in the period, joined to their (still existing) request */
      approvalsDecided: number;
      approved: number;
      /** approved / approvalsDecided; null when none */
      approvalRate: number | null;
    };
  anyMetrics: boolean;
  byType: TypeStats[];
  slowest: SlowResponse[];
  overTime: TimePoint[];
  /** the over-time bucket width (the filter's, or for "all" the data's span) */
  bucket: Bucket;
  byAgent: AgentStats[];
  byReviewer: ReviewerStats[];
  /** decisions rules made (left out of every figure above) */
  automatic: AutomaticStats;
}

/** All figures for one filter: six queries, in parallel on a server pool. */
export async function getMetrics(f: MetricsFilter, now = new Date()): Promise<MetricsReport> {
  const [stats, queue, slowest, series, agents, byReviewer, bucket, automatic] = await Promise.all([
    responseStats(f),
    queueStatus(f),
    slowestResponses(f),
    overTime(f, now),
    statsByAgent(f),
    statsByReviewer(f),
    overTimeBucket(f, now),
    automaticStats(f),
  ]);
  const { anyMetrics, ...queueRest } = queue;
  return {
    summary: { ...stats.overall, ...queueRest, ...agents.verdicts },
    anyMetrics,
    byType: stats.byType,
    slowest,
    overTime: series,
    bucket,
    byAgent: agents.agents,
    byReviewer,
    automatic,
  };
}

export {
  overTime,
  overTimeBucket,
  slowestResponses,
  statsByAgent,
  statsByReviewer,
  type AgentStats,
  type ReviewerStats,
  type SlowResponse,
  type TimePoint,
};
