import "server-only";
import postgres from "postgres";
import type { Database } from "@/db/client";
import { takeBackup } from "@/db/ops/backup";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { recordNextBackup } from "./backup-status";
import { nextRun, slotOf, slotStart, type BackupKind, type Schedule } from "@/lib/ops/backup-plan";

/** Advisory-lock class ids (arbitrary constants, next to the migration lock 7_243_001). */
const LOCK_CLASS: Record<BackupKind, number> = { hourly: 7_243_002, daily: 7_243_003 };

export interface BackupScheduler {
  /** Take a backup now in this process (SIGUSR2; the embedded case). */
  runNow(kind: BackupKind): Promise<void>;
  /** Stop the timers, wait for a running backup, release the locks. */
  stop(): Promise<void>;
}

/**
 * Backups on a schedule: hourly at :00 and daily at 01:00 UTC (NEXUS_BACKUP=on).
 * On a PostgreSQL server several Nexus processes may run this; each slot is claimed with
 * pg_try_advisory_lock(class, slot) on a dedicated connection, held until the next
 * slot, so exactly one process takes each backup and the others log that they skipped.
 * The embedded database has one process by construction, so no lock is needed.
 */
export function startBackupScheduler(database: Database, schedule: Schedule = {}): BackupScheduler {
  const timers = new Map<BackupKind, NodeJS.Timeout>();
  const held = new Map<BackupKind, number>();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const lockSql =
    database.config.kind === "server"
      ? postgres(database.config.url, {
          max: 1,
          idle_timeout: 0,
          onnotice: () => {},
          connect_timeout: 10,
          connection: { application_name: "nexus-backup-lock" },
        })
      : undefined;

  async function claim(kind: BackupKind, slot: number): Promise<boolean> {
    if (!lockSql) return true;
    const key = slot % 2 ** 31;
    if (held.get(kind) === key) return false; // this process took it already
    const [row] = await lockSql<{ ok: boolean }[]>`
      SELECT pg_try_advisory_lock(${LOCK_CLASS[kind]}::int, ${key}::int) AS ok`;
    if (!row?.ok) return false;
    const previous = held.get(kind);
    if (previous !== undefined && previous !== key)
      await lockSql`SELECT pg_advisory_unlock(${LOCK_CLASS[kind]}::int, ${previous}::int)`;
    held.set(kind, key);
    return true;
  }

  async function backup(kind: BackupKind, reason: string, now?: Date) {
    try {
      const r = await takeBackup({ database, kind, now });
      log().info(
        { kind, file: r.file, bytes: r.bytes, durationMs: r.durationMs, pruned: r.pruned, reason },
        "backup written",
      );
    } catch (err) {
      log().error(
        { kind, err, reason },
        `BACKUP FAILED (${kind}): ${(err as Error).message}. Earlier backups are untouched.`,
      );
    }
  }

  async function scheduled(kind: BackupKind, slot: number) {
    try {
      if (!(await claim(kind, slot))) {
        log().info({ kind, slot }, "backup skipped: another Nexus process took this one");
        return;
      }
    } catch (err) {
      log().error({ kind, err }, `BACKUP FAILED (${kind}): could not claim the slot`);
      return;
    }
    // named after the slot (backup_…_140000 for the 14:00 run), whatever the delay
    await backup(kind, "schedule", slotStart(kind, slot, schedule));
  }

  /**
   * `after`: the slot just fired. A timer may fire a little before the wall clock reaches
   * its slot (timers run on a monotonic clock); re-arming from "now" then picked the same
   * slot again and this process, whose advisory lock is re-entrant, took it twice.
   */
  function arm(kind: BackupKind, after?: Date) {
    if (stopped) return;
    const now = new Date();
    const from = after && after.getTime() >= now.getTime() ? new Date(after.getTime() + 1) : now;
    const at = nextRun(kind, from, schedule);
    const slot = slotOf(kind, at, schedule);
    recordNextBackup(kind, at);
    const timer = setTimeout(
      () => {
        running = running.then(() => scheduled(kind, slot));
        arm(kind, at);
      },
      Math.max(0, at.getTime() - now.getTime()),
    );
    timer.unref();
    timers.set(kind, timer);
  }

  arm("hourly");
  arm("daily");
  log().info(
    {
      hourly: nextRun("hourly", new Date(), schedule).toISOString(),
      daily: nextRun("daily", new Date(), schedule).toISOString(),
      dir: env().NEXUS_BACKUP_DIR,
    },
    "backups scheduled",
  );

  return {
    runNow(kind) {
      running = running.then(() => backup(kind, "on demand"));
      return running;
    },
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await running;
      await lockSql?.end({ timeout: 2 });
    },
  };
}
