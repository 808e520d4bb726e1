import { describe, expect, test } from "vitest";
import {
  backupDirName,
  backupsToPrune,
  dumpFileName,
  nextRun,
  parseBackupDirName,
  slotOf,
  slotStart,
} from "@/lib/ops/backup-plan";

describe("backup folder names", () => {
  test("are backup_YYYYMMDD_HHMMSS in UTC", () => {
    expect(backupDirName(new Date("2026-01-02T03:04:05.678Z"))).toBe("backup_20260102_030405");
  });
  test("round-trip and reject anything that is not a real UTC time", () => {
    expect(parseBackupDirName("backup_20260102_030405")?.toISOString()).toBe(
      "2026-01-02T03:04:05.000Z",
    );
    expect(parseBackupDirName("backup_20261345_030405")).toBeNull();
    expect(parseBackupDirName(".tmp-backup_20260102_030405-abc")).toBeNull();
    expect(parseBackupDirName("notes.txt")).toBeNull();
  });
  test("the dump file is named after the database", () => {
    expect(dumpFileName("nexus")).toBe("nexus.sql");
    expect(dumpFileName("my-db_2")).toBe("my-db_2.sql");
    expect(dumpFileName("../evil")).toBe("___evil.sql");
  });
});

describe("retention", () => {
  const hourly = Array.from({ length: 9 }, (_, i) =>
    backupDirName(new Date(Date.UTC(2026, 0, 1, i))),
  );
  test("keeps exactly the newest N and deletes the rest, oldest first irrelevant of input order", () => {
    const shuffled = [...hourly].reverse().concat(["README", ".tmp-backup_x"]);
    const doomed = backupsToPrune(shuffled, 6);
    expect(doomed.sort()).toEqual(hourly.slice(0, 3));
  });
  test("deletes nothing when there are N or fewer", () => {
    expect(backupsToPrune(hourly.slice(0, 6), 6)).toEqual([]);
    expect(backupsToPrune([], 7)).toEqual([]);
  });
  test("never counts or deletes folders that are not backups", () => {
    expect(backupsToPrune(["lost+found", "backup_x", ...hourly.slice(0, 2)], 1)).toEqual([
      hourly[0],
    ]);
  });
});

describe("schedule", () => {
  test("hourly runs at the next full hour", () => {
    expect(nextRun("hourly", new Date("2026-01-01T10:59:59.999Z")).toISOString()).toBe(
      "2026-01-01T11:00:00.000Z",
    );
    expect(nextRun("hourly", new Date("2026-01-01T11:00:00.000Z")).toISOString()).toBe(
      "2026-01-01T12:00:00.000Z",
    );
  });
  test("daily runs at 01:00 UTC", () => {
    expect(nextRun("daily", new Date("2026-01-01T00:30:00Z")).toISOString()).toBe(
      "2026-01-01T01:00:00.000Z",
    );
    expect(nextRun("daily", new Date("2026-01-01T01:00:00Z")).toISOString()).toBe(
      "2026-01-02T01:00:00.000Z",
    );
  });
  test("a test interval replaces the hourly period, aligned so every process agrees on the slot", () => {
    const s = { intervalSeconds: 5 };
    const a = new Date("2026-01-01T00:00:07.100Z");
    const b = new Date("2026-01-01T00:00:09.900Z");
    expect(slotOf("hourly", a, s)).toBe(slotOf("hourly", b, s));
    expect(nextRun("hourly", a, s).toISOString()).toBe("2026-01-01T00:00:10.000Z");
    expect(slotStart("hourly", slotOf("hourly", a, s), s).toISOString()).toBe(
      "2026-01-01T00:00:05.000Z",
    );
  });
  test("the daily slot of 00:59 is the previous day's", () => {
    expect(slotOf("daily", new Date("2026-01-02T00:59:00Z"))).toBe(
      slotOf("daily", new Date("2026-01-01T01:00:00Z")),
    );
  });
});
