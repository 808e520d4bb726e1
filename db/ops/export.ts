import "server-only";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import {
  JSON_ARRAY_CLOSE,
  JSON_ARRAY_OPEN,
  csvRow,
  jsonArrayChunk,
  pgTimestamp,
} from "@/lib/export/format";
import { rows, type Database } from "../client";
import {
  ROW_JSON_TEXT,
  copyTextOf,
  quoteIdent as q,
  type ExportColumn,
} from "../queries/export-columns";
import { pgliteOf, postgresOf } from "./clients";

export const EXPORTS = {
  approvals: { table: "approval_requests", since: "timestamp" },
  questions: { table: "question_requests", since: "timestamp" },
  metrics: { table: "hitl_metrics", since: "created_at" },
} as const;
export type ExportName = keyof typeof EXPORTS;
export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportError extends Error {
  override name = "ExportError";
}

const BATCH = 1000;

/** The table's columns in table order (seed columns first, then additions). */
async function columnsOf(database: Database, table: string): Promise<ExportColumn[]> {
  const cols = await rows<{ name: string; type: string }>(
    database.db,
    sql`SELECT column_name AS name, data_type AS type FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`,
  );
  if (cols.length === 0) throw new ExportError(`table ${table} does not exist`);
  return cols.map((c) => ({ name: c.name, boolean: c.type === "boolean" }));
}

/**
 * Every column as PostgreSQL's own text output (as COPY writes it), booleans as t/f:
 * the database formats timestamps (microseconds included), jsonb and numbers.
 */
function csvSelectList(cols: ExportColumn[]): string {
  return cols.map((c) => `${copyTextOf(c)} AS ${q(c.name)}`).join(", ");
}

/**
 * Stream an export as text chunks: CSV with a header line, or a JSON array of
 * row_to_json objects. Constant memory: a server cursor on PostgreSQL, keyset batches
 * (by primary key) on the embedded database. Rows come in primary-key order.
 */
export async function* exportChunks(opts: {
  database: Database;
  name: ExportName;
  format: ExportFormat;
  since?: Date;
}): AsyncGenerator<string> {
  const { database, name, format } = opts;
  const { table, since: sinceCol } = EXPORTS[name];
  const cols = await columnsOf(database, table);
  const select = format === "csv" ? csvSelectList(cols) : `${ROW_JSON_TEXT} AS ${q("__json")}`;
  const where = opts.since ? `t.${q(sinceCol)} >= $1::timestamp` : "TRUE";
  const params = opts.since ? [pgTimestamp(opts.since)] : [];
  const names = cols.map((c) => c.name);

  let count = 0;
  yield format === "csv" ? csvRow(names) : JSON_ARRAY_OPEN;
  for await (const batch of batches(database, table, select, where, params)) {
    yield format === "csv"
      ? batch.map((r) => csvRow(names.map((n) => r[n] ?? null))).join("")
      : jsonArrayChunk(
          batch.map((r) => r.__json!),
          count,
        );
    count += batch.length;
  }
  if (format === "json") yield JSON_ARRAY_CLOSE;
}

async function* batches(
  database: Database,
  table: string,
  select: string,
  where: string,
  params: string[],
): AsyncGenerator<Record<string, string | null>[]> {
  if (database.config.kind === "server") {
    // A cursor is one statement for PostgreSQL's statement_timeout, however slowly the
    // file is written: this export runs on a reserved connection without that bound
    // (NEXUS_STATEMENT_TIMEOUT_MS is for the app's own queries).
    const pg = await postgresOf(database).reserve();
    try {
      await pg.unsafe("SET statement_timeout = 0");
      const text = `SELECT ${select} FROM public.${q(table)} t WHERE ${where} ORDER BY t.id`;
      for await (const batch of pg.unsafe(text, params).cursor(BATCH))
        yield batch as unknown as Record<string, string | null>[];
    } finally {
      await pg.unsafe("RESET statement_timeout").catch(() => {});
      pg.release();
    }
    return;
  }
  // PGlite: keyset pagination on the primary key (an index range scan per batch).
  const pg = pgliteOf(database);
  let last: string | undefined;
  for (;;) {
    const keyset = last === undefined ? "TRUE" : `t.id > $${params.length + 1}`;
    const text =
      `SELECT ${select}, t.id::text AS ${q("__key")} FROM public.${q(table)} t ` +
      `WHERE ${where} AND ${keyset} ORDER BY t.id LIMIT ${BATCH}`;
    const args = last === undefined ? params : [...params, last];
    const batch = (await pg.query<Record<string, string | null>>(text, args)).rows;
    if (batch.length === 0) return;
    last = batch[batch.length - 1]!.__key!;
    yield batch;
    if (batch.length < BATCH) return;
  }
}

/** Exports and backups hold every request, diff and answer: readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Write an export to `target`: beside it first, then renamed, so no half-written file
 * ever has the real name; created with mode 0600 whatever the umask (and chmod'ed, for
 * a umask that would take bits away… or a file system that ignores the mode at open).
 */
export async function writeExportFile(chunks: AsyncIterable<string>, target: string) {
  const file = path.resolve(target);
  const tmp = `${file}.tmp-${process.pid}`;
  const out = fs.createWriteStream(tmp, { mode: PRIVATE_FILE_MODE, flags: "wx" });
  try {
    await once(out, "open");
    await fs.promises.chmod(tmp, PRIVATE_FILE_MODE);
    for await (const chunk of chunks) if (!out.write(chunk)) await once(out, "drain");
    out.end();
    await once(out, "finish");
    await fs.promises.rename(tmp, file);
  } catch (err) {
    out.destroy();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return file;
}
