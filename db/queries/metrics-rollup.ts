import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { MetricsFilter } from "@/lib/metrics/period";
import { sketchPercentile } from "@/lib/metrics/sketch";
import { getDb, rows } from "../client";
import { metricsRows, num, requestJoins, ts } from "./metrics-sql";

/*
 * The metrics of long periods from hitl_metrics_rollup (db/schema.ts; kept by a trigger
 * on hitl_metrics, migration metrics_rollup_trigger). A period reads the rollup's whole
 * UTC days and, for the part of a day at either end, hitl_metrics itself grouped the
 * same way; all time reads the all-time rows only. Counts, sums (averages), minimum and
 * maximum are exact; percentiles come from the merged log-bucket sketch
 * (lib/metrics/sketch.ts, within 1%).
 */

type Dim = "type" | "agent" | "reviewer";
const DAY_MS = 86_400_000;
const dayFloor = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const dayCeil = (d: Date) => new Date(Math.ceil(d.getTime() / DAY_MS) * DAY_MS);

const COLUMNS = sql.raw(
  "day, key, request_type, bucket, n, sum_ms, min_ms, max_ms, approvals, approved, questions",
);

/** hitl_metrics rows in `ranges` (half-open [from, to)), grouped like the rollup's rows. */
function rawRows(f: MetricsFilter, dim: Dim, ranges: [Date, Date | null][]): SQL {
  const key =
    dim === "type"
      ? sql`''::text`
      : dim === "agent"
        ? sql`coalesce(a.agent_id, q.agent_id, tc.agent_id)`
        : sql`m.user_id`;
  const verdicts =
    dim === "agent"
      ? sql`count(a.approved) AS approvals, count(*) FILTER (WHERE a.approved) AS approved, count(q.id) AS questions`
      : sql`0::bigint AS approvals, 0::bigint AS approved, 0::bigint AS questions`;
  const within = sql.join(
    ranges.map(([from, to]) =>
      to
        ? sql`(m.created_at >= ${ts(from)} AND m.created_at < ${ts(to)})`
        : sql`m.created_at >= ${ts(from)}`,
    ),
    sql` OR `,
  );
  return sql`SELECT date_trunc('day', m.created_at) AS day, ${key} AS key, m.request_type,
      nexus_metrics_bucket(m.response_time_ms) AS bucket, count(*) AS n,
      coalesce(sum(m.response_time_ms), 0) AS sum_ms, min(m.response_time_ms) AS min_ms,
      max(m.response_time_ms) AS max_ms, ${verdicts}
    FROM hitl_metrics m ${dim === "agent" ? requestJoins : sql``}
    WHERE (${within})${f.type ? sql` AND m.request_type = ${f.type}` : sql``}
    GROUP BY 1, 2, 3, 4`;
}

/**
 * The period's rows of one dimension: (day, key, request_type, bucket, n, sum_ms, min_ms,
 * max_ms, approvals, approved, questions). `byDay`: the day rows even for all time (the
 * chart); else all time is read from the all-time rows.
 */
export function periodRows(f: MetricsFilter, dim: Dim, byDay = false): SQL {
  const type = f.type ? sql` AND request_type = ${f.type}` : sql``;
  const stored = (where: SQL) =>
    sql`SELECT ${COLUMNS} FROM hitl_metrics_rollup WHERE dim = ${dim} AND ${where}${type}`;
  if (!f.from && !f.to)
    return stored(byDay ? sql`day > '-infinity'::timestamp` : sql`day = '-infinity'::timestamp`);
  const lo = f.from ? dayCeil(f.from) : null;
  const hi = f.to ? dayFloor(f.to) : null;
  if (f.from && f.to && lo!.getTime() >= hi!.getTime()) return rawRows(f, dim, [[f.from, f.to]]);
  const parts = [
    stored(
      sql.join(
        [
          sql`day > '-infinity'::timestamp`,
          ...(lo ? [sql`day >= ${ts(lo)}`] : []),
          ...(hi ? [sql`day < ${ts(hi)}`] : []),
        ],
        sql` AND `,
      ),
    ),
  ];
  const edges: [Date, Date | null][] = [];
  if (f.from && lo!.getTime() > f.from.getTime()) edges.push([f.from, lo]);
  if (f.to && hi!.getTime() < f.to.getTime()) edges.push([hi!, f.to]);
  if (edges.length > 0) parts.push(rawRows(f, dim, edges));
  return sql.join(parts, sql` UNION ALL `);
}

export interface SketchSummary {
  g: unknown;
  /** rows (with or without a response time) */
  total: number;
  /** rows with a response time */
  timed: number;
  avgMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  approvals: number;
  approved: number;
  questions: number;
  /** one per requested quantile */
  pct: (number | null)[];
}

/**
 * Merge the sketches of `source` (periodRows) per group: each row counts in every group
 * of `groups` (expressions over the source's columns, e.g. request_type and '*'). Returns
 * SQL selecting g, the totals and, per quantile, the buckets holding its two ranks.
 */
export function mergedSketches(source: SQL, groups: SQL[], quantiles: readonly number[]): SQL {
  const ranks = quantiles.map(
    (q, i) =>
      sql`max(bucket) FILTER (WHERE below <= floor(${sql.raw(String(q))} * (timed - 1))) AS ${sql.identifier(`lo${i}`)},
          max(bucket) FILTER (WHERE below <= ceil(${sql.raw(String(q))} * (timed - 1))) AS ${sql.identifier(`hi${i}`)}`,
  );
  return sql`WITH src AS (${source}),
    h AS (SELECT gg.g, src.bucket, sum(src.n)::float8 AS n, sum(src.sum_ms)::float8 AS s,
                 min(src.min_ms) AS mn, max(src.max_ms) AS mx, sum(src.approvals)::float8 AS approvals,
                 sum(src.approved)::float8 AS approved, sum(src.questions)::float8 AS questions
            FROM src CROSS JOIN LATERAL (VALUES ${sql.join(
              groups.map((g) => sql`(${g})`),
              sql`, `,
            )}) gg(g)
           GROUP BY 1, 2),
    w AS (SELECT h.*,
                 CASE WHEN bucket >= -1 THEN sum(n) FILTER (WHERE bucket >= -1)
                   OVER (PARTITION BY g ORDER BY bucket) - n END AS below,
                 sum(n) FILTER (WHERE bucket >= -1) OVER (PARTITION BY g) AS timed
            FROM h)
    SELECT g, sum(n) AS total, coalesce(max(timed), 0) AS timed,
           sum(s) FILTER (WHERE bucket >= -1) AS sum_ms, min(mn) AS min_ms, max(mx) AS max_ms,
           sum(approvals) AS approvals, sum(approved) AS approved, sum(questions) AS questions,
           ${sql.join(ranks, sql`, `)}
      FROM w GROUP BY g`;
}

/** A row of mergedSketches as numbers, its percentiles estimated. */
export function toSummary(r: Record<string, unknown>, quantiles: readonly number[]): SketchSummary {
  const timed = Number(r.timed ?? 0);
  const minMs = num(r.min_ms);
  const maxMs = num(r.max_ms);
  const sum = num(r.sum_ms);
  return {
    g: r.g,
    total: Number(r.total ?? 0),
    timed,
    avgMs: timed > 0 && sum !== null ? sum / timed : null,
    minMs,
    maxMs,
    approvals: Number(r.approvals ?? 0),
    approved: Number(r.approved ?? 0),
    questions: Number(r.questions ?? 0),
    pct: quantiles.map((q, i) =>
      sketchPercentile(q, timed, num(r[`lo${i}`]), num(r[`hi${i}`]), minMs, maxMs),
    ),
  };
}

/** Merged sketches of one dimension over the period, one summary per group. */
export async function sketchesBy(
  f: MetricsFilter,
  dim: Dim,
  groups: SQL[],
  quantiles: readonly number[],
): Promise<SketchSummary[]> {
  const result = await metricsRows<Record<string, unknown>>(
    mergedSketches(periodRows(f, dim), groups, quantiles),
  );
  return result.map((r) => toSummary(r, quantiles));
}

/**
 * Rebuild the rollup from hitl_metrics (`nexus metrics rebuild`): one transaction that
 * holds inserts into hitl_metrics back meanwhile (SHARE ROW EXCLUSIVE: reads go on, a
 * decision waits), so the rollup equals the table when it commits. Returns the rows
 * rolled up and the rollup's rows.
 */
export async function rebuildMetricsRollup(): Promise<{ metrics: number; rollupRows: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE hitl_metrics IN SHARE ROW EXCLUSIVE MODE`);
    // a million rows take about a minute: no statement timeout; memory for hash grouping
    await tx.execute(sql`SELECT set_config('statement_timeout', '0', true)`);
    await tx.execute(sql`SELECT set_config('work_mem', '256MB', true)`);
    await tx.execute(sql`DELETE FROM hitl_metrics_rollup`);
    await tx.execute(sql`SELECT nexus_hitl_metrics_rollup_add('hitl_metrics')`);
    const [r] = await rows<{ metrics: number; rollup: number }>(
      tx,
      sql`SELECT (SELECT count(*) FROM hitl_metrics)::int AS metrics,
                 (SELECT count(*) FROM hitl_metrics_rollup)::int AS rollup`,
    );
    return { metrics: Number(r?.metrics ?? 0), rollupRows: Number(r?.rollup ?? 0) };
  });
}
