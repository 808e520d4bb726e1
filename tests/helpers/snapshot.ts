import { sql } from "drizzle-orm";
import { expect } from "vitest";
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

/**
 * A restored database equals the backed-up one but for the audit log: the backup's own
 * entry (backup.taken) is written after the dump, and the restore adds backup.restored;
 * earlier backups' entries are in the dump like any row.
 */
export function expectRestored(
  restored: Record<string, string[]>,
  source: Record<string, string[]>,
) {
  const AUDIT = "public.audit_log";
  const { [AUDIT]: restoredAudit = [], ...restoredRest } = restored;
  const { [AUDIT]: sourceAudit = [], ...sourceRest } = source;
  expect(restoredRest).toEqual(sourceRest);
  const kept = restoredAudit.filter((r) => !r.includes("backup.restored"));
  // every entry of the backup is the source's; the source has only the backup's own beside
  expect(kept.filter((r) => !sourceAudit.includes(r))).toEqual([]);
  expect(
    sourceAudit.filter((r) => !kept.includes(r)).every((r) => r.includes('"backup.taken"')),
  ).toBe(true);
  expect(restoredAudit.filter((r) => r.includes("backup.restored"))).toHaveLength(1);
}
