import "server-only";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { DbConfig } from "@/lib/env";
import { SqlScriptReader, type ScriptItem } from "@/lib/ops/sql-script";
import { acquireDataDirLock } from "../lock";
import { ensureServerDatabase } from "../migrate";

export class RestoreError extends Error {
  override name = "RestoreError";
}

/** What restore talks to: the target database without migrations applied. */
interface Target {
  query<T>(sql: string): Promise<T[]>;
  /** Run `fn` in one transaction; statements go through `exec`. */
  transaction(fn: (t: TxTarget) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
interface TxTarget {
  exec(sql: string): Promise<void>;
  copy(copySql: string): Promise<{ write(rows: string[]): Promise<void>; end(): Promise<void> }>;
}

async function embeddedTarget(config: Extract<DbConfig, { kind: "embedded" }>): Promise<Target> {
  const release = acquireDataDirLock(config.dataDir);
  let pg: PGlite;
  try {
    pg = new PGlite(config.dataDir);
    await pg.waitReady;
    await pg.exec("SET TIME ZONE 'UTC'");
  } catch (err) {
    release();
    throw err;
  }
  return {
    async query<T>(q: string) {
      return (await pg.query<T>(q)).rows;
    },
    async transaction(fn) {
      await pg.transaction(async (tx) => {
        await fn({
          async exec(q) {
            await tx.exec(q);
          },
          // PGlite has no COPY FROM STDIN: feed each batch through its /dev/blob device.
          async copy(copySql) {
            const fromBlob = copySql.replace(/\bFROM\s+stdin\b/i, "FROM '/dev/blob'");
            return {
              async write(rows) {
                await tx.query(fromBlob, [], { blob: new Blob([rows.join("\n") + "\n"]) });
              },
              async end() {},
            };
          },
        });
      });
    },
    async close() {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}

async function serverTarget(config: Extract<DbConfig, { kind: "server" }>): Promise<Target> {
  await ensureServerDatabase(config);
  const sql = postgres(config.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { TimeZone: "UTC", application_name: "nexus-restore" },
  });
  return {
    async query<T>(q: string) {
      return (await sql.unsafe(q)) as unknown as T[];
    },
    async transaction(fn) {
      await sql.begin(async (tx) => {
        await fn({
          async exec(q) {
            await tx.unsafe(q).simple();
          },
          async copy(copySql) {
            const stream = await tx.unsafe(copySql).writable();
            const done = new Promise<void>((resolve, reject) => {
              stream.on("finish", resolve);
              stream.on("error", reject);
            });
            return {
              async write(rows) {
                if (!stream.write(rows.join("\n") + "\n"))
                  await new Promise((r) => stream.once("drain", r));
              },
              async end() {
                stream.end();
                await done;
              },
            };
          },
        });
      });
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

const SET_RE = /^SET\s+(?:SESSION\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=|TO)\s/i;
/** psql meta-commands that a plain dump may contain and that mean nothing to a driver. */
const HARMLESS_META = /^\\(restrict|unrestrict)\b/;

export interface RestoreResult {
  statements: number;
  copiedRows: number;
  skipped: string[];
  dropped: boolean;
}

/** Tables in the schemas Nexus uses: a database with any is not "empty". */
async function existingTables(target: Target): Promise<string[]> {
  const found = await target.query<{ name: string }>(
    `SELECT schemaname || '.' || tablename AS name FROM pg_tables
      WHERE schemaname IN ('public', 'drizzle') ORDER BY 1`,
  );
  return found.map((r) => r.name);
}

/**
 * Load a plain SQL dump (ours, pg_dump's or PGlite's) into the configured database in
 * one transaction: any error leaves the database as it was. The database must be empty
 * (no tables in public or drizzle); with `force`, the public and drizzle schemas are
 * dropped (CASCADE: every table, sequence and row in them) and public is recreated.
 * SET lines for settings the target server does not know (a newer pg_dump's
 * transaction_timeout on PostgreSQL 15) are skipped and reported.
 */
/**
 * The audit entry of a restore, in the restored database (a dump made before the audit
 * log existed has no table: then nothing; migrations add it at the next start).
 */
function restoredAuditSql(file: string, dropped: boolean): string {
  const details = JSON.stringify({ file: path.basename(file), replaced_existing: dropped });
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  return `DO $audit$ BEGIN
    IF to_regclass('public.audit_log') IS NOT NULL THEN
      INSERT INTO public.audit_log (at, event, actor, subject_type, details)
        VALUES (now() AT TIME ZONE 'UTC', 'backup.restored', 'cli', 'backup', ${lit(details)}::jsonb);
    END IF;
  END $audit$`;
}

export async function restoreDump(opts: {
  config: DbConfig;
  file: string;
  force?: boolean;
}): Promise<RestoreResult> {
  const { config, file } = opts;
  if (!fs.existsSync(file)) throw new RestoreError(`no such file: ${file}`);
  if (fs.statSync(file).isDirectory())
    throw new RestoreError(`${file} is a folder; give the .sql file inside it`);
  const target =
    config.kind === "embedded" ? await embeddedTarget(config) : await serverTarget(config);
  try {
    const tables = await existingTables(target);
    if (tables.length > 0 && !opts.force)
      throw new RestoreError(
        `the database is not empty (${tables.length} tables, e.g. ${tables.slice(0, 3).join(", ")}). ` +
          `Restore into an empty database, or pass --force to DROP the public and drizzle schemas (all their data) first.`,
      );
    const known = new Set(
      (await target.query<{ name: string }>("SELECT name FROM pg_settings")).map((r) => r.name),
    );
    const result: RestoreResult = { statements: 0, copiedRows: 0, skipped: [], dropped: false };
    await target.transaction(async (tx) => {
      if (tables.length > 0) {
        await tx.exec("DROP SCHEMA IF EXISTS drizzle CASCADE");
        await tx.exec("DROP SCHEMA IF EXISTS public CASCADE");
        await tx.exec("CREATE SCHEMA public");
        result.dropped = true;
      }
      const reader = new SqlScriptReader();
      let copy: Awaited<ReturnType<TxTarget["copy"]>> | undefined;
      const handle = async (item: ScriptItem) => {
        if (item.type === "statement") {
          const set = SET_RE.exec(item.sql);
          if (set && !set[1]!.includes(".") && !known.has(set[1]!.toLowerCase())) {
            result.skipped.push(item.sql);
            return;
          }
          try {
            await tx.exec(item.sql);
          } catch (err) {
            throw new RestoreError(
              `line ${item.line}: ${(err as Error).message}\n  ${item.sql.slice(0, 200)}`,
              { cause: err },
            );
          }
          result.statements++;
        } else if (item.type === "meta") {
          if (HARMLESS_META.test(item.command)) return;
          throw new RestoreError(
            `line ${item.line}: psql command "${item.command.slice(0, 40)}" is not supported; ` +
              `restore this file with psql instead (see README, Operations)`,
          );
        } else if (item.type === "copy-start") {
          copy = await tx.copy(item.sql);
          result.statements++;
        } else if (item.type === "copy-data") {
          await copy!.write(item.rows);
          result.copiedRows += item.rows.length;
        } else {
          await copy!.end();
          copy = undefined;
        }
      };
      const lines = readline.createInterface({
        input: fs.createReadStream(file, { encoding: "utf8" }),
        crlfDelay: Infinity,
      });
      for await (const line of lines) for (const item of reader.line(line)) await handle(item);
      for (const item of reader.end()) await handle(item);
      await tx.exec(restoredAuditSql(file, result.dropped));
    });
    return result;
  } finally {
    await target.close();
  }
}
