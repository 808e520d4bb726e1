/*
 * Pure rules for backups: folder names, retention and the schedule. No I/O here.
 *
 * Layout (the seed's): <dir>/hourly/backup_YYYYMMDD_HHMMSS/<database>.sql and
 * <dir>/daily/backup_YYYYMMDD_HHMMSS/<database>.sql, times in UTC.
 */

export const BACKUP_KINDS = ["hourly", "daily"] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

const NAME_RE = /^backup_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `backup_20260101_120000` for 2026-01-01T12:00:00Z (seconds precision, UTC). */
export function backupDirName(at: Date): string {
  return (
    `backup_${pad(at.getUTCFullYear(), 4)}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
    `_${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`
  );
}

/** The UTC time a backup folder name stands for, or null when it is not one of ours. */
export function parseBackupDirName(name: string): Date | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return backupDirName(t) === name ? t : null; // rejects 20261345_…
}

/** The dump file inside a backup folder: named after the database (`nexus.sql`). */
export function dumpFileName(database: string): string {
  return `${database.replace(/[^A-Za-z0-9_-]/g, "_") || "nexus"}.sql`;
}

/**
 * Which backup folders to delete so that the newest `keep` remain. Only names that
 * parse as backup folders count; anything else in the folder is left alone.
 */
export function backupsToPrune(names: readonly string[], keep: number): string[] {
  const ours = names
    .map((name) => ({ name, at: parseBackupDirName(name) }))
    .filter((b): b is { name: string; at: Date } => b.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  return ours.slice(Math.max(0, keep)).map((b) => b.name);
}

/**
 * The schedule. Hourly backups at every full hour (:00), daily at 01:00 UTC.
 * `intervalSeconds` (tests, NEXUS_BACKUP_INTERVAL_SECONDS) replaces the hourly period
 * with a shorter one, aligned on multiples of it since the epoch; daily is unchanged.
 */
export interface Schedule {
  intervalSeconds?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAILY_OFFSET = HOUR; // 01:00 UTC

export function periodMs(kind: BackupKind, schedule: Schedule = {}): number {
  if (kind === "daily") return DAY;
  return schedule.intervalSeconds ? schedule.intervalSeconds * 1000 : HOUR;
}

function offsetMs(kind: BackupKind) {
  return kind === "daily" ? DAILY_OFFSET : 0;
}

/**
 * The slot a moment belongs to: an integer that is the same for every process during
 * one period (used as the advisory-lock key so only one process backs up a slot).
 */
export function slotOf(kind: BackupKind, at: Date, schedule: Schedule = {}): number {
  return Math.floor((at.getTime() - offsetMs(kind)) / periodMs(kind, schedule));
}

/** When slot `slot` starts. */
export function slotStart(kind: BackupKind, slot: number, schedule: Schedule = {}): Date {
  return new Date(slot * periodMs(kind, schedule) + offsetMs(kind));
}

/** The next scheduled run strictly after `now`. */
export function nextRun(kind: BackupKind, now: Date, schedule: Schedule = {}): Date {
  return slotStart(kind, slotOf(kind, now, schedule) + 1, schedule);
}
