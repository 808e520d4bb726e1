import "server-only";
import fs from "node:fs";
import path from "node:path";
import { backupRoot } from "@/db/ops/backup";
import { BACKUP_KINDS, type BackupKind } from "@/lib/ops/backup-plan";

/*
 * The newest backup in NEXUS_BACKUP_DIR (whoever wrote it: the schedule, SIGUSR2, the
 * CLI) and the next scheduled ones. A directory listing per kind: no database work.
 */

export interface BackupInfo {
  kind: BackupKind;
  time: Date;
  bytes: number;
  path: string;
}

export async function lastBackup(): Promise<BackupInfo | null> {
  let best: BackupInfo | null = null;
  for (const kind of BACKUP_KINDS) {
    const dir = path.join(backupRoot(), kind);
    let names: string[];
    try {
      names = (await fs.promises.readdir(dir)).filter((n) => n.startsWith("backup_")).sort();
    } catch {
      continue;
    }
    const newest = names.at(-1);
    if (!newest) continue;
    const folder = path.join(dir, newest);
    const file = (await fs.promises.readdir(folder)).find((f) => f.endsWith(".sql"));
    if (!file) continue;
    const stat = await fs.promises.stat(path.join(folder, file));
    if (!best || stat.mtime > best.time)
      best = { kind, time: stat.mtime, bytes: stat.size, path: path.join(folder, file) };
  }
  return best;
}

const g = globalThis as unknown as { __nexusBackupNext?: Partial<Record<BackupKind, Date>> };

/** The scheduler records when each kind runs next. */
export function recordNextBackup(kind: BackupKind, at: Date) {
  (g.__nexusBackupNext ??= {})[kind] = at;
}

/** Next scheduled backups of this process (null: NEXUS_BACKUP is off). */
export function nextBackups(): Partial<Record<BackupKind, Date>> | null {
  return g.__nexusBackupNext ?? null;
}
