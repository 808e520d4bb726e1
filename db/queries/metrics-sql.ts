import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { MetricsFilter } from "@/lib/metrics/period";

/* SQL fragments shared by the metrics queries (metrics.ts, metrics-breakdowns.ts). */

export const nowUtc = sql`(now() AT TIME ZONE 'UTC')`;
export const ts = (d: Date) => sql`${d.toISOString()}::timestamp`;

/** WHERE clause on hitl_metrics aliased `m`. */
export function metricsWhere(f: MetricsFilter): SQL {
  const parts: SQL[] = [sql`TRUE`];
  if (f.from) parts.push(sql`m.created_at >= ${ts(f.from)}`);
  if (f.to) parts.push(sql`m.created_at < ${ts(f.to)}`);
  if (f.type) parts.push(sql`m.request_type = ${f.type}`);
  return sql.join(parts, sql` AND `);
}

/** The agent of a metrics row's request: LEFT JOINs on the request tables. */
export const requestJoins = sql`
  LEFT JOIN approval_requests a ON m.request_type = 'approval' AND a.id = m.request_id
  LEFT JOIN question_requests q ON m.request_type = 'question' AND q.id = m.request_id`;

export const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);
