import "server-only";
import { sql } from "drizzle-orm";
import { getDatabase, rows } from "../client";

/*
 * The database figures of the status page and /api/prometheus: each one cheap query on
 * the catalog or an index, never a scan of a request table.
 */

export interface TableFigure {
  name: string;
  /** table + indexes + TOAST (at most 30 s old) */
  bytes: number;
  /** row count: the planner's estimate (pg_class.reltuples) when the table has been
   *  analyzed, else an exact count(*) while the table is small (< 2,000 pages) */
  rows: number | null;
  rowsExact: boolean;
}

/** Sizes walk every file of the database (hundreds of ms on 400 MB of PGlite): kept 30 s. */
const SIZES_TTL_MS = 30_000;
const sizes = globalThis as unknown as {
  __nexusDbSizes?: { key: string; at: number; db: number; tables: Map<string, number> };
  __nexusDbSizesRefresh?: Promise<void>;
};

async function readSizes(key: string) {
  const { db } = await getDatabase();
  const [size] = await rows<{ bytes: string }>(
    db,
    sql`SELECT pg_database_size(current_database())::text AS bytes`,
  );
  const t = await rows<{ name: string; bytes: string }>(
    db,
    sql`SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
  );
  sizes.__nexusDbSizes = {
    key,
    at: Date.now(),
    db: Number(size?.bytes ?? 0),
    tables: new Map(t.map((x) => [x.name, Number(x.bytes)])),
  };
}

/** Database and table sizes: at most 30 s old (refreshed in the background after that). */
async function currentSizes(key: string) {
  const c = sizes.__nexusDbSizes;
  if (!c || c.key !== key) await readSizes(key);
  else if (Date.now() - c.at > SIZES_TTL_MS && !sizes.__nexusDbSizesRefresh)
    sizes.__nexusDbSizesRefresh = readSizes(key)
      .catch(() => {})
      .finally(() => (sizes.__nexusDbSizesRefresh = undefined));
  return sizes.__nexusDbSizes!;
}

export async function databaseFigures(): Promise<{
  sizeBytes: number;
  sizesAt: string;
  tables: TableFigure[];
  migrations: { applied: number; last: string | null };
}> {
  const { db, config } = await getDatabase();
  // three independent reads, concurrent on a server pool (one session serializes them on
  // the embedded database)
  const [sized, tables, migrations] = await Promise.all([
    currentSizes(config.label),
    rows<{ name: string; est: number; pages: number }>(
      db,
      sql`SELECT c.relname AS name, c.reltuples::float8 AS est, c.relpages::int AS pages
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    ),
    rows<{ n: number; last: string | null }>(
      db,
      sql`SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations`,
    ).then(
      ([m]) => ({
        applied: m?.n ?? 0,
        last: m?.last ? new Date(Number(m.last)).toISOString() : null,
      }),
      () => ({ applied: 0, last: null as string | null }), // no migrations table: nothing applied
    ),
  ]);
  // never analyzed (PGlite has no autovacuum): small enough to count, in one statement
  const small = tables.filter((t) => t.est < 0 && t.pages < 2000);
  const counted = new Map<string, number>();
  if (small.length > 0)
    for (const r of await rows<{ name: string; n: number }>(
      db,
      sql.join(
        small.map(
          (t) =>
            sql`SELECT ${t.name}::text AS name, count(*)::int AS n FROM public.${sql.identifier(t.name)}`,
        ),
        sql` UNION ALL `,
      ),
    ))
      counted.set(r.name, Number(r.n));
  const out: TableFigure[] = tables.map((t) => {
    const exact = counted.get(t.name);
    return {
      name: t.name,
      bytes: sized.tables.get(t.name) ?? 0,
      rows: exact ?? (t.est >= 0 ? Math.round(t.est) : null),
      rowsExact: exact !== undefined,
    };
  });
  out.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return {
    sizeBytes: sized.db,
    sizesAt: new Date(sized.at).toISOString(),
    tables: out,
    migrations,
  };
}

/** Connections of Nexus processes on this database, by state (pg_stat_activity). */
export async function serverConnections(): Promise<Record<string, number>> {
  const { db } = await getDatabase();
  const r = await rows<{ state: string | null; n: number }>(
    db,
    sql`SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'nexus'
         GROUP BY 1`,
  );
  return Object.fromEntries(r.map((x) => [x.state ?? "unknown", x.n]));
}

type Histogram = { buckets: number[]; sumMs: number; count: number };

/** Rows at the end of hitl_metrics (by id) read afresh at every call, never cached. */
const RECENT_ROWS = 1000;

const cache = globalThis as unknown as {
  __nexusResponseHistogram?: { key: string; upTo: number; data: Map<string, Histogram> };
};

async function aggregate(
  types: readonly string[],
  boundsMs: readonly number[],
  fromId: number,
  toId: number | null,
): Promise<Map<string, Histogram>> {
  const { db } = await getDatabase();
  const filters = boundsMs.map(
    (b, i) =>
      sql`count(*) FILTER (WHERE response_time_ms <= ${sql.raw(String(Math.floor(b)))})::float8 AS ${sql.identifier(`b${i}`)}`,
  );
  const r = await rows<Record<string, number | string>>(
    db,
    sql`SELECT request_type, count(*)::float8 AS n, coalesce(sum(response_time_ms), 0)::float8 AS sum_ms,
               ${sql.join(filters, sql`, `)}
          FROM hitl_metrics
         WHERE id > ${fromId} ${toId === null ? sql`` : sql`AND id <= ${toId}`}
           AND response_time_ms IS NOT NULL
           AND NOT automatic
           AND request_type IN (${sql.join(
             types.map((t) => sql`${t}`),
             sql`, `,
           )})
         GROUP BY request_type`,
  );
  const out = new Map<string, Histogram>();
  for (const row of r)
    out.set(String(row.request_type), {
      buckets: boundsMs.map((_, i) => Number(row[`b${i}`])),
      sumMs: Number(row.sum_ms),
      count: Number(row.n),
    });
  return out;
}

function add(into: Map<string, Histogram>, more: Map<string, Histogram>, width: number) {
  const out = new Map<string, Histogram>();
  for (const key of new Set([...into.keys(), ...more.keys()])) {
    const a = into.get(key);
    const b = more.get(key);
    out.set(key, {
      buckets: Array.from({ length: width }, (_, i) => (a?.buckets[i] ?? 0) + (b?.buckets[i] ?? 0)),
      sumMs: (a?.sumMs ?? 0) + (b?.sumMs ?? 0),
      count: (a?.count ?? 0) + (b?.count ?? 0),
    });
  }
  return out;
}

/**
 * Human response times from hitl_metrics (rules' automatic decisions left out) as a
 * cumulative histogram per request type:
 * rows at or under each bound (ms), their sum and count; equal to the table at the
 * moment of the call. A full scan of a million rows takes seconds on PGlite, so this
 * process keeps the totals up to id (max - 1000) and reads only the rows after that at
 * each call: one scan at the first call, then a primary-key range. The last 1000 rows are
 * always read afresh, so a decision committed late with a lower id is still counted.
 * Rows deleted from hitl_metrics stay counted until the process restarts (the table
 * shrinking below the cached id resets it).
 */
export async function responseHistogram(
  types: readonly string[],
  boundsMs: readonly number[],
): Promise<Map<string, Histogram>> {
  const { db, config } = await getDatabase();
  const [m] = await rows<{ max: number }>(
    db,
    sql`SELECT coalesce(max(id), 0)::int AS max FROM hitl_metrics`,
  );
  const horizon = Math.max(0, (m?.max ?? 0) - RECENT_ROWS);
  const key = `${config.label}|${types.join(",")}|${boundsMs.join(",")}`;
  let c = cache.__nexusResponseHistogram;
  if (!c || c.key !== key || c.upTo > horizon) c = { key, upTo: 0, data: new Map() };
  if (horizon > c.upTo) {
    const settled = await aggregate(types, boundsMs, c.upTo, horizon);
    c = { key, upTo: horizon, data: add(c.data, settled, boundsMs.length) };
  }
  cache.__nexusResponseHistogram = c;
  return add(c.data, await aggregate(types, boundsMs, horizon, null), boundsMs.length);
}
