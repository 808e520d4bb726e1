import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import { env } from "@/lib/env";
import {
  backupDirName,
  backupsToPrune,
  dumpFileName,
  type BackupKind,
} from "@/lib/ops/backup-plan";
import type { Database } from "../client";
import { recordAudit } from "../queries/audit";
import { pgliteOf, postgresOf } from "./clients";
import { BackupError, runPgDump } from "./pg-dump";

export { BackupError } from "./pg-dump";

export interface BackupResult {
  kind: BackupKind;
  /** Absolute path of the dump file. */
  file: string;
  bytes: number;
  durationMs: number;
  /** Backup folders removed by retention. */
  pruned: string[];
}

export function backupRoot(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env().NEXUS_BACKUP_DIR);
}

export function keepFor(kind: BackupKind): number {
  return kind === "hourly" ? env().NEXUS_BACKUP_KEEP_HOURLY : env().NEXUS_BACKUP_KEEP_DAILY;
}

const DUMP_COMPLETE = "-- PostgreSQL database dump complete";
/** A dump holds every request, answer and password hash: readable by its owner only. */
export const BACKUP_FILE_MODE = 0o600;

/** One simple-protocol query straight to PGlite's wire protocol (no PGlite mutex). */
async function rawQuery(
  pg: PGlite,
  sql: string,
): Promise<{ rows: Record<string, string | null>[] }> {
  const body = Buffer.from(`${sql}\0`, "utf8");
  const msg = Buffer.alloc(5 + body.length);
  msg.write("Q", 0, "ascii");
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  const { messages } = await pg.execProtocol(new Uint8Array(msg));
  let names: string[] = [];
  const rows: Record<string, string | null>[] = [];
  for (const m of messages as unknown as { name: string; fields: unknown[] }[]) {
    if (m.name === "rowDescription") names = (m.fields as { name: string }[]).map((f) => f.name);
    else if (m.name === "dataRow")
      rows.push(Object.fromEntries(names.map((n, i) => [n, m.fields[i] as string | null])));
  }
  return { rows };
}

/**
 * PGlite's pg_dump (WASM) talks to the instance through its raw protocol, bypassing
 * PGlite's locking. Hold PGlite's transaction lock for the whole dump so no query or
 * transaction of this process interleaves with it (they queue, then run); the helper
 * queries pgDump makes go straight to the protocol, since the lock is not reentrant.
 */
async function dumpEmbedded(pg: PGlite, file: string) {
  const { pgDump } = await import("@electric-sql/pglite-tools/pg_dump");
  const dump = await pg._runExclusiveTransaction(async () => {
    if (pg.isInTransaction()) throw new BackupError("a transaction is open; try again");
    const direct = {
      query: (sql: string) => rawQuery(pg, sql),
      exec: (sql: string) => rawQuery(pg, sql),
      execProtocolRawStream: pg.execProtocolRawStream.bind(pg),
    } as unknown as PGlite;
    try {
      return await pgDump({ pg: direct, args: ["--no-owner", "--no-privileges"] });
    } finally {
      // pg_dump leaves its read-only snapshot transaction open and its session settings
      // changed: end it and put the session back as db/client.ts opened it.
      if (pg.isInTransaction()) await rawQuery(pg, "ROLLBACK");
      await rawQuery(pg, "RESET ALL");
      await rawQuery(pg, "SET TIME ZONE 'UTC'");
    }
  });
  await pipeline(
    Readable.fromWeb(dump.stream() as never),
    fs.createWriteStream(file, { mode: BACKUP_FILE_MODE }),
  );
}

async function serverMajor(database: Database): Promise<number> {
  const sql = postgresOf(database);
  const [row] = await sql<{ v: string }[]>`SELECT current_setting('server_version_num') AS v`;
  return Math.floor(Number(row!.v) / 10000);
}

async function fsyncFile(file: string) {
  const fh = await fs.promises.open(file, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The last bytes of a file: a complete plain dump ends with pg_dump's closing comment. */
async function tail(file: string, bytes = 200): Promise<string> {
  const fh = await fs.promises.open(file, "r");
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(bytes, size));
    await fh.read(buf, 0, buf.length, Math.max(0, size - buf.length));
    return buf.toString("utf8");
  } finally {
    await fh.close();
  }
}

/**
 * Take one backup: dump into a hidden temporary folder next to the others, check it is
 * complete, then rename it to backup_YYYYMMDD_HHMMSS. Only after that succeeds are
 * backups beyond the retention count removed. A failure leaves no partial folder and
 * never touches existing backups.
 */
export async function takeBackup(opts: {
  database: Database;
  kind: BackupKind;
  root?: string;
  keep?: number;
  now?: Date;
  /** who asked (audit log): `cli`, or `system` for the schedule */
  actor?: string;
}): Promise<BackupResult> {
  const started = Date.now();
  const { database, kind } = opts;
  const root = opts.root ?? backupRoot();
  const keep = opts.keep ?? keepFor(kind);
  const kindDir = path.join(root, kind);
  await fs.promises.mkdir(kindDir, { recursive: true });
  const name = backupDirName(opts.now ?? new Date());
  const finalDir = path.join(kindDir, name);
  if (fs.existsSync(finalDir))
    throw new BackupError(`a ${kind} backup named ${name} already exists in ${kindDir}`);
  const tmpDir = await fs.promises.mkdtemp(path.join(kindDir, `.tmp-${name}-`));
  const dbName = database.config.kind === "server" ? database.config.database : "nexus";
  const fileName = dumpFileName(dbName);
  try {
    const tmpFile = path.join(tmpDir, fileName);
    if (database.config.kind === "embedded") await dumpEmbedded(pgliteOf(database), tmpFile);
    else {
      // pg_dump --file truncates an existing file and keeps its mode: create it 0600 first.
      await fs.promises.writeFile(tmpFile, "", { mode: BACKUP_FILE_MODE, flag: "wx" });
      await runPgDump(database.config, await serverMajor(database), tmpFile);
    }
    if (!fs.existsSync(tmpFile)) throw new BackupError(`the dump wrote no file (${tmpFile})`);
    await fs.promises.chmod(tmpFile, BACKUP_FILE_MODE); // whatever the umask took away
    if (!(await tail(tmpFile)).includes(DUMP_COMPLETE))
      throw new BackupError(`the dump in ${tmpFile} is incomplete (no end marker)`);
    await fsyncFile(tmpFile);
    await fs.promises.rename(tmpDir, finalDir);
  } catch (err) {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
  const file = path.join(finalDir, fileName);
  const bytes = (await fs.promises.stat(file)).size;
  const names = await fs.promises.readdir(kindDir);
  const pruned = backupsToPrune(names, keep);
  for (const n of pruned)
    await fs.promises.rm(path.join(kindDir, n), { recursive: true, force: true });
  await recordAudit(database.db, {
    event: "backup.taken",
    actor: opts.actor ?? "system",
    subjectType: "backup",
    subjectId: `${kind}/${name}`,
    details: { kind, bytes },
  });
  return { kind, file, bytes, durationMs: Date.now() - started, pruned };
}
