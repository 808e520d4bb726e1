import fs from "node:fs";
import path from "node:path";
import { closeDatabase, getDatabase, openDatabase } from "@/db/client";
import { backupRoot, takeBackup } from "@/db/ops/backup";
import { DatabaseLockedError } from "@/db/errors";
import { restoreDump } from "@/db/ops/restore";
import { BackupError } from "@/db/ops/pg-dump";
import { dbConfig } from "@/lib/env";
import { BACKUP_KINDS, type BackupKind } from "@/lib/ops/backup-plan";
import { UsageError, type CommandGroup, type ParsedArgs } from "./args";

function kindOf(args: ParsedArgs): BackupKind {
  const v = args.flags.kind;
  if (v === undefined) return "hourly";
  if (typeof v !== "string" || !(BACKUP_KINDS as readonly string[]).includes(v))
    throw new UsageError(`--kind must be one of ${BACKUP_KINDS.join(", ")}`);
  return v as BackupKind;
}

export const backupGroup: CommandGroup = {
  name: "backup",
  summary: "dump the database to NEXUS_BACKUP_DIR/<kind>/backup_YYYYMMDD_HHMMSS/<db>.sql",
  usage: ["backup [--kind hourly|daily]   (default hourly; applies retention)"],
  async run(command, args) {
    if (command !== undefined) throw new UsageError(`backup takes no argument ("${command}")`);
    const kind = kindOf(args);
    let database;
    try {
      database = await getDatabase();
    } catch (err) {
      const pid = /\(pid (\d+)\)/.exec((err as Error).message)?.[1];
      if (err instanceof DatabaseLockedError && pid)
        throw new DatabaseLockedError(
          `${(err as Error).message}\nA running server backs up the embedded database itself: ` +
            `NEXUS_BACKUP=on schedules it, and \`kill -USR2 ${pid}\` makes it take an hourly backup now (see its log for the path).`,
        );
      throw err;
    }
    const via = database.config.kind === "server" ? database.config.viaSocketOf : undefined;
    if (via) {
      await askServerForBackup(via.pid, kind);
      return;
    }
    const r = await takeBackup({ database, kind, actor: "cli" });
    console.log(
      `backup written: ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB, ${r.durationMs} ms)` +
        (r.pruned.length
          ? `; removed ${r.pruned.length} old ${kind} backup(s): ${r.pruned.join(", ")}`
          : ""),
    );
  },
};

/*
 * The running server holds the embedded database: its pg_dump (WASM, in-process) is the
 * only one that can read it (the socket's PostgreSQL is newer than any pg_dump on PATH
 * would accept), so ask it with SIGUSR2 and wait for the backup folder to appear.
 */
async function askServerForBackup(pid: number, kind: string) {
  if (kind !== "hourly")
    throw new UsageError(
      `the running server (pid ${pid}) takes hourly backups on request; run without --kind`,
    );
  const dir = path.join(backupRoot(), "hourly");
  const list = () =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith("backup_")) : [];
  const before = new Set(list());
  process.kill(pid, "SIGUSR2");
  console.log(`asked the running server (pid ${pid}) for an hourly backup (SIGUSR2)`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const fresh = list().find((n) => !before.has(n));
    if (fresh) {
      const folder = path.join(dir, fresh);
      const file = fs.readdirSync(folder).find((f) => f.endsWith(".sql"));
      const bytes = file ? fs.statSync(path.join(folder, file)).size : 0;
      console.log(
        `backup written: ${path.join(folder, file ?? "")} (${(bytes / 1024).toFixed(1)} KiB)`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new BackupError(
    `no new backup appeared in ${dir} within 2 minutes: see the server's log (same NEXUS_BACKUP_DIR and working folder?)`,
  );
}

export const restoreGroup: CommandGroup = {
  name: "restore",
  summary: "load a plain SQL dump (a Nexus backup or pg_dump output) into the configured database",
  usage: [
    "restore <file.sql> [--force]   (the database must be empty; --force DROPs the public and drizzle schemas first)",
  ],
  async run(file, args) {
    if (!file) throw new UsageError("restore needs the path of a .sql file");
    for (const f of Object.keys(args.flags))
      if (f !== "force") throw new UsageError(`unknown option --${f}`);
    const config = dbConfig();
    await closeDatabase();
    const r = await restoreDump({
      config,
      file: path.resolve(file),
      force: args.flags.force === true,
    });
    for (const s of r.skipped) console.log(`skipped (unknown setting on this server): ${s}`);
    console.log(
      `restored ${file}: ${r.statements} statements, ${r.copiedRows} COPY rows` +
        (r.dropped ? " (existing public and drizzle schemas were dropped first)" : ""),
    );
    // Prove the restored database is usable: migrations must apply (or find nothing to do).
    const database = await openDatabase(config);
    await database.close();
    console.log(`migrations: up to date on ${config.label}`);
  },
};
