import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { MetricsFilter } from "@/lib/metrics/period";
import { getDb, rows } from "../client";

/* SQL fragments shared by the metrics queries (metrics.ts, metrics-breakdowns.ts). */

export { nowUtc } from "./requests";
export const ts = (d: Date) => sql`${d.toISOString()}::timestamp`;

/**
 * WHERE clause on hitl_metrics aliased `m`: people's decisions (the response-time figures),
 * or with `automatic` the decisions rules made at creation (counted apart, never timed).
 */
export function metricsWhere(f: MetricsFilter, automatic = false): SQL {
  const parts: SQL[] = [automatic ? sql`m.automatic` : sql`NOT m.automatic`];
  if (f.from) parts.push(sql`m.created_at >= ${ts(f.from)}`);
  if (f.to) parts.push(sql`m.created_at < ${ts(f.to)}`);
  if (f.type) parts.push(sql`m.request_type = ${f.type}`);
  return sql.join(parts, sql` AND `);
}

/**
 * The agent (and verdict) of a metrics row's decided request. Only decided requests
 * can have a metrics row; the partial covering indexes of migration 0001 serve these
 * joins without touching the request tables' heaps.
 */
export const requestJoins = sql`
  LEFT JOIN approval_requests a
    ON m.request_type = 'approval' AND a.id = m.request_id AND a.approved IS NOT NULL
  LEFT JOIN question_requests q
    ON m.request_type = 'question' AND q.id = m.request_id AND q.response IS NOT NULL
  LEFT JOIN tool_call_requests tc
    ON m.request_type = 'tool_call' AND tc.id = m.request_id AND tc.approved IS NOT NULL`;

export const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

/** percentile_cont(ARRAY[…]) comes back as a float8[] (or its text form on some drivers). */
export function floatArray(v: unknown): (number | null)[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.map(num);
  return String(v)
    .replace(/^\{|\}$/g, "")
    .split(",")
    .map((x) => (x === "NULL" ? null : Number(x)));
}

/**
 * Run a metrics query. (Measured on the benchmark set: raising work_mem or turning JIT
 * off per query changed nothing worth a transaction and two more round trips.)
 */
export async function metricsRows<T>(query: SQL): Promise<T[]> {
  return rows<T>(await getDb(), query);
}
