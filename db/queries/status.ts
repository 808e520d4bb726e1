import "server-only";
import { sql } from "drizzle-orm";
import { getDatabase, rows } from "../client";

/*
 * The database figures of the status page and /api/prometheus: each one cheap query on
 * the catalog or an index, never a scan of a request table.
 */

export interface TableFigure {
  name: string;
  /** table + indexes + TOAST */
  bytes: number;
  /** row count: the planner's estimate (pg_class.reltuples) when the table has been
   *  analyzed, else an exact count(*) while the table is small (< 2,000 pages) */
  rows: number | null;
  rowsExact: boolean;
}

export async function databaseFigures(): Promise<{
  sizeBytes: number;
  tables: TableFigure[];
  migrations: { applied: number; last: string | null };
}> {
  const { db } = await getDatabase();
  const [size] = await rows<{ bytes: string }>(
    db,
    sql`SELECT pg_database_size(current_database())::text AS bytes`,
  );
  const tables = await rows<{ name: string; bytes: string; est: number; pages: number }>(
    db,
    sql`SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes,
               c.reltuples::float8 AS est, c.relpages::int AS pages
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         ORDER BY pg_total_relation_size(c.oid) DESC, c.relname`,
  );
  const out: TableFigure[] = [];
  for (const t of tables) {
    let count: number | null = t.est >= 0 ? Math.round(t.est) : null;
    let exact = false;
    if (count === null && t.pages < 2000) {
      // never analyzed (PGlite has no autovacuum): small enough to count
      const [r] = await rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM public.${sql.identifier(t.name)}`,
      );
      count = r?.n ?? null;
      exact = true;
    }
    out.push({ name: t.name, bytes: Number(t.bytes), rows: count, rowsExact: exact });
  }
  let migrations = { applied: 0, last: null as string | null };
  try {
    const [m] = await rows<{ n: number; last: string | null }>(
      db,
      sql`SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations`,
    );
    migrations = {
      applied: m?.n ?? 0,
      last: m?.last ? new Date(Number(m.last)).toISOString() : null,
    };
  } catch {
    /* no migrations table: nothing applied */
  }
  return { sizeBytes: Number(size?.bytes ?? 0), tables: out, migrations };
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

/**
 * Human response times from hitl_metrics as a cumulative histogram per request type:
 * count of rows at or under each bound (ms), the sum and the count. One scan of
 * hitl_metrics' (request_type, response_time_ms) columns.
 */
export async function responseHistogram(
  types: readonly string[],
  boundsMs: readonly number[],
): Promise<Map<string, { buckets: number[]; sumMs: number; count: number }>> {
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
         WHERE response_time_ms IS NOT NULL
           AND request_type IN (${sql.join(
             types.map((t) => sql`${t}`),
             sql`, `,
           )})
         GROUP BY request_type`,
  );
  const out = new Map<string, { buckets: number[]; sumMs: number; count: number }>();
  for (const row of r)
    out.set(String(row.request_type), {
      buckets: boundsMs.map((_, i) => Number(row[`b${i}`])),
      sumMs: Number(row.sum_ms),
      count: Number(row.n),
    });
  return out;
}
