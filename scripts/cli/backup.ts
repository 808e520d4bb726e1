import path from "node:path";
import { closeDatabase, getDatabase, openDatabase } from "@/db/client";
import { takeBackup } from "@/db/ops/backup";
import { DatabaseLockedError } from "@/db/errors";
import { restoreDump } from "@/db/ops/restore";
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
    const r = await takeBackup({ database, kind });
    console.log(
      `backup written: ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB, ${r.durationMs} ms)` +
        (r.pruned.length
          ? `; removed ${r.pruned.length} old ${kind} backup(s): ${r.pruned.join(", ")}`
          : ""),
    );
  },
};

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
