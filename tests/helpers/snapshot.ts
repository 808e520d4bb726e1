import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";

/**
 * Every row of every table in the public and drizzle schemas, as sorted JSON text per
 * table: two databases with equal snapshots hold identical data.
 */
export async function snapshotAll(db: Db): Promise<Record<string, string[]>> {
  const tables = await rows<{ s: string; t: string }>(
    db,
    sql`SELECT schemaname AS s, tablename AS t FROM pg_tables
         WHERE schemaname IN ('public', 'drizzle') ORDER BY 1, 2`,
  );
  const out: Record<string, string[]> = {};
  for (const { s, t } of tables) {
    const r = await rows<{ j: string }>(
      db,
      sql.raw(`SELECT row_to_json(x)::text AS j FROM "${s}"."${t}" x`),
    );
    out[`${s}.${t}`] = r.map((x) => x.j).sort();
  }
  return out;
}
