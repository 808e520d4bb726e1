import type { MetricsReport } from "@/db/queries/metrics";
import { requestHref } from "./format";
import { fromRollup, type MetricsFilter } from "./period";
import { RELATIVE_ERROR } from "./sketch";

/*
 * The JSON of GET /api/v1/metrics: the page's numbers, snake_case as in docs/api.md, times
 * in ms (numbers) and ISO-8601 UTC strings. Percentiles are percentile_cont values
 * (may be fractional); null when the period has no decisions. Periods longer than two
 * days come from the rollup: `approximate` names the figures that are then estimates
 * (every p50/p90/p99/median, within `relative_error`); everything else stays exact.
 */

/** The percentile fields, as they are named in the JSON. */
const PERCENTILE_FIELDS = [
  "summary.p50_ms",
  "summary.p90_ms",
  "summary.p99_ms",
  "by_type[].p50_ms",
  "by_type[].p90_ms",
  "by_type[].p99_ms",
  "over_time[].p90_ms",
  "by_agent[].p50_ms",
  "by_agent[].p90_ms",
  "by_reviewer[].median_ms",
];

/** Which figures of a filter's report are estimates (none for short periods). */
export function approximation(filter: MetricsFilter) {
  const rollup = fromRollup(filter);
  return {
    source: rollup ? ("rollup" as const) : ("hitl_metrics" as const),
    fields: rollup ? PERCENTILE_FIELDS : [],
    relative_error: rollup ? RELATIVE_ERROR : 0,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function metricsJson(filter: MetricsFilter, m: MetricsReport, baseUrl: string) {
  const link = (type: string, id: string) => `${baseUrl}${requestHref(type, id)}`;
  const s = m.summary;
  return {
    period: {
      key: filter.period,
      from: iso(filter.from),
      to: iso(filter.to),
      bucket: m.bucket,
      filters: "hitl_metrics.created_at, from inclusive, to exclusive",
    },
    type: filter.type,
    approximate: approximation(filter),
    summary: {
      decisions: s.total,
      avg_ms: s.avgMs,
      p50_ms: s.p50Ms,
      p90_ms: s.p90Ms,
      p99_ms: s.p99Ms,
      min_ms: s.minMs,
      max_ms: s.maxMs,
      approvals_decided: s.approvalsDecided,
      approved: s.approved,
      approval_rate: s.approvalRate,
      pending_now: s.pendingNow,
      oldest_pending: s.oldestPending && {
        request_type: s.oldestPending.requestType,
        request_id: s.oldestPending.requestId,
        agent_id: s.oldestPending.agentId,
        timestamp: iso(s.oldestPending.timestamp),
        age_ms: s.oldestPending.ageMs,
        url: link(s.oldestPending.requestType, s.oldestPending.requestId),
      },
    },
    by_type: m.byType.map((t) => ({
      request_type: t.requestType,
      total: t.total,
      avg_ms: t.avgMs,
      p50_ms: t.p50Ms,
      p90_ms: t.p90Ms,
      p99_ms: t.p99Ms,
    })),
    slowest: m.slowest.map((r) => ({
      request_type: r.requestType,
      request_id: r.requestId,
      response_time_ms: r.responseTimeMs,
      created_at: iso(r.createdAt),
      user_id: r.userId,
      agent_id: r.agentId,
      url: r.agentId === null ? null : link(r.requestType, r.requestId),
    })),
    over_time: m.overTime.map((p) => ({
      start: iso(p.start),
      decisions: p.decisions,
      avg_ms: p.avgMs,
      p90_ms: p.p90Ms,
    })),
    by_agent: m.byAgent.map((a) => ({
      agent_id: a.agentId,
      decisions: a.decisions,
      approvals_decided: a.approvals,
      approved: a.approved,
      approval_rate: a.approvalRate,
      questions_answered: a.questions,
      avg_ms: a.avgMs,
      p50_ms: a.p50Ms,
      p90_ms: a.p90Ms,
    })),
    by_reviewer: m.byReviewer.map((r) => ({
      user_id: r.userId,
      decisions: r.decisions,
      median_ms: r.medianMs,
      avg_ms: r.avgMs,
    })),
    automatic: {
      decisions: m.automatic.decisions,
      by_rule: m.automatic.byRule.map((r) => ({ rule: r.rule, decisions: r.decisions })),
    },
  };
}
