import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { MetricsFilter } from "@/lib/metrics/period";
import { NO_TIME_BUCKET, percentilesOf, type SketchCell } from "@/lib/metrics/sketch";
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

/** Which request_type rows of the type dimension to read: each type's and '*' (all). */
type Types = "each" | "all" | "both";

/** hitl_metrics rows in `ranges` (half-open [from, to)), grouped like the rollup's rows. */
function rawRows(f: MetricsFilter, dim: Dim, ranges: [Date, Date | null][], types: Types): SQL {
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
  const requestType =
    dim !== "type" || f.type || types === "each"
      ? sql`m.request_type`
      : types === "all"
        ? sql`'*'::varchar`
        : sql`t.request_type`;
  const both =
    dim === "type" && !f.type && types === "both"
      ? sql` CROSS JOIN LATERAL (VALUES (m.request_type), ('*'::varchar)) t(request_type)`
      : sql``;
  return sql`SELECT date_trunc('day', m.created_at) AS day, ${key} AS key, ${requestType} AS request_type,
      nexus_metrics_bucket(m.response_time_ms) AS bucket, count(*) AS n,
      coalesce(sum(m.response_time_ms), 0) AS sum_ms, min(m.response_time_ms) AS min_ms,
      max(m.response_time_ms) AS max_ms, ${verdicts}
    FROM hitl_metrics m ${dim === "agent" ? requestJoins : sql``}${both}
    WHERE (${within})${f.type ? sql` AND m.request_type = ${f.type}` : sql``}
    GROUP BY 1, 2, 3, 4`;
}

/**
 * The period's rows of one dimension: (day, key, request_type, bucket, n, sum_ms, min_ms,
 * max_ms, approvals, approved, questions). `byDay`: the day rows even for all time (the
 * chart); else all time is read from the all-time rows. `types` (dimension type, no type
 * filter): each type's rows, the all-types rows ('*'), or both.
 */
export function periodRows(f: MetricsFilter, dim: Dim, byDay = false, types: Types = "each"): SQL {
  const type = f.type
    ? sql` AND request_type = ${f.type}`
    : dim !== "type" || types === "both"
      ? sql``
      : types === "all"
        ? sql` AND request_type = '*'`
        : sql` AND request_type <> '*'`;
  const stored = (where: SQL) =>
    sql`SELECT ${COLUMNS} FROM hitl_metrics_rollup WHERE dim = ${dim} AND ${where}${type}`;
  if (!f.from && !f.to)
    return stored(byDay ? sql`day > '-infinity'::timestamp` : sql`day = '-infinity'::timestamp`);
  const lo = f.from ? dayCeil(f.from) : null;
  const hi = f.to ? dayFloor(f.to) : null;
  if (f.from && f.to && lo!.getTime() >= hi!.getTime())
    return rawRows(f, dim, [[f.from, f.to]], types);
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
  if (edges.length > 0) parts.push(rawRows(f, dim, edges, types));
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
 * The cells of `source` (periodRows) merged per group and bucket: each row counts in
 * every group of `groups` (expressions over the source's columns, e.g. request_type and
 * '*'). Percentiles are read from these cells in JavaScript (summarize): a window
 * function over tens of thousands of cells (a chart's days) cost more than the merge.
 */
export function mergedCells(source: SQL, groups: SQL[]): SQL {
  return sql`WITH src AS (${source})
    SELECT gg.g, src.bucket, sum(src.n)::float8 AS n, sum(src.sum_ms)::float8 AS sum_ms,
           min(src.min_ms) AS min_ms, max(src.max_ms) AS max_ms,
           sum(src.approvals)::float8 AS approvals, sum(src.approved)::float8 AS approved,
           sum(src.questions)::float8 AS questions
      FROM src CROSS JOIN LATERAL (VALUES ${sql.join(
        groups.map((g) => sql`(${g})`),
        sql`, `,
      )}) gg(g)
     GROUP BY 1, 2`;
}

/** A group key as a Map key (timestamps by their time). */
const keyOf = (g: unknown) => (g instanceof Date ? g.getTime() : g);

/** Cells (rows of mergedCells; a row without a bucket stands for an empty group) → one summary per group. */
export function summarize(
  cells: Record<string, unknown>[],
  quantiles: readonly number[],
): SketchSummary[] {
  const groups = new Map<unknown, { g: unknown; cells: Record<string, unknown>[] }>();
  for (const c of cells) {
    const k = keyOf(c.g);
    let x = groups.get(k);
    if (!x) groups.set(k, (x = { g: c.g, cells: [] }));
    if (c.bucket !== null && c.bucket !== undefined) x.cells.push(c);
  }
  return [...groups.values()].map(({ g, cells: list }) => {
    let total = 0;
    let timed = 0;
    let sum = 0;
    let minMs: number | null = null;
    let maxMs: number | null = null;
    let approvals = 0;
    let approved = 0;
    let questions = 0;
    const sketch: SketchCell[] = [];
    for (const c of list) {
      const bucket = Number(c.bucket);
      const n = Number(c.n);
      total += n;
      approvals += Number(c.approvals ?? 0);
      approved += Number(c.approved ?? 0);
      questions += Number(c.questions ?? 0);
      if (bucket === NO_TIME_BUCKET) continue;
      timed += n;
      sum += Number(c.sum_ms);
      const lo = num(c.min_ms);
      const hi = num(c.max_ms);
      if (lo !== null) minMs = minMs === null ? lo : Math.min(minMs, lo);
      if (hi !== null) maxMs = maxMs === null ? hi : Math.max(maxMs, hi);
      sketch.push({ bucket, n });
    }
    return {
      g,
      total,
      timed,
      avgMs: timed > 0 ? sum / timed : null,
      minMs,
      maxMs,
      approvals,
      approved,
      questions,
      pct: percentilesOf(sketch, quantiles, minMs, maxMs),
    };
  });
}

/** Merged sketches of one dimension over the period, one summary per group. */
export async function sketchesBy(
  f: MetricsFilter,
  dim: Dim,
  groups: SQL[],
  quantiles: readonly number[],
  types: Types = "each",
): Promise<SketchSummary[]> {
  const cells = await metricsRows<Record<string, unknown>>(
    mergedCells(periodRows(f, dim, false, types), groups),
  );
  return summarize(cells, quantiles);
}

/**
 * The over-time chart from the rollup: one row per chart bucket (`unitOf`: the chart
 * bucket of a day row) with decisions, avg_ms, and the sketch buckets holding the ranks
 * of its p90 (lo, hi) with timed/min_ms/max_ms for sketchPercentile. The all-types rows
 * ('*') need no merging of types; grouped by day they stream in the rollup's key order
 * (dim, request_type, day, bucket), so the window functions need no sort.
 */
export function overTimeCells(f: MetricsFilter, unitOf: (day: SQL) => SQL): SQL {
  return sql`WITH h AS (
      SELECT ${unitOf(sql`src.day`)} AS g, src.bucket, sum(src.n)::float8 AS n,
             sum(src.sum_ms)::float8 AS s, min(src.min_ms) AS mn, max(src.max_ms) AS mx
        FROM (${periodRows(f, "type", true, "all")}) src GROUP BY 1, 2),
    w AS (SELECT h.*,
                 sum(n) FILTER (WHERE bucket >= -1) OVER (PARTITION BY g ORDER BY bucket) - n AS below,
                 sum(n) FILTER (WHERE bucket >= -1) OVER (PARTITION BY g) AS timed
            FROM h)
    SELECT g AS start, sum(n)::int AS decisions, sum(s) FILTER (WHERE bucket >= -1) / nullif(max(timed), 0) AS avg_ms,
           coalesce(max(timed), 0) AS timed, min(mn) AS min_ms, max(mx) AS max_ms,
           max(bucket) FILTER (WHERE bucket >= -1 AND below <= floor(0.9 * (timed - 1))) AS lo,
           max(bucket) FILTER (WHERE bucket >= -1 AND below <= ceil(0.9 * (timed - 1))) AS hi
      FROM w GROUP BY g`;
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
