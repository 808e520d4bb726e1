import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseBackupDirName } from "@/lib/ops/backup-plan";
import { dropTestDatabase, testDbKind, uniqueName } from "../helpers/db";
import { dbConfigFrom } from "@/lib/env";
import { ROOT, baseEnv } from "../helpers/run";

const INTERVAL = 3;

function startProcess(env: Record<string, string | undefined>) {
  // tsx as a loader inside node (not the tsx CLI, whose signal relay SIGKILLs a child
  // that does not acknowledge SIGTERM within 30 ms on a busy machine)
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(ROOT, "tests/helpers/nexus-process.ts"),
    ],
    { cwd: ROOT, env: env as NodeJS.ProcessEnv },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const started = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not started:\n${out}`)), 60_000);
    child.stdout!.on("data", () => {
      if (out.includes("nexus-process: started")) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return { child, started, exited, output: () => out };
}

function backupsIn(dir: string): string[] {
  const d = path.join(dir, "hourly");
  return fs.existsSync(d) ? fs.readdirSync(d).filter((n) => n.startsWith("backup_")) : [];
}

describe.runIf(testDbKind === "server")("scheduled backups with several processes", () => {
  const database = uniqueName();
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "nexus-sched-")));
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await dropTestDatabase(
      dbConfigFrom({ DB_HOST: process.env.DB_HOST || "127.0.0.1", NEXUS_DB: database }),
    );
  });

  test("two processes on one PostgreSQL take each scheduled backup exactly once", async () => {
    const ps = dirs.map((dir) =>
      startProcess(
        baseEnv({
          DB_HOST: process.env.DB_HOST || "127.0.0.1",
          NEXUS_DB: database,
          NEXUS_BACKUP: "on",
          NEXUS_BACKUP_INTERVAL_SECONDS: String(INTERVAL),
          NEXUS_BACKUP_DIR: dir,
          LOG_LEVEL: "info",
        }),
      ),
    );
    procs.push(...ps.map((p) => p.child));
    await Promise.all(ps.map((p) => p.started));
    await new Promise((r) => setTimeout(r, INTERVAL * 3 * 1000 + 500));
    for (const p of ps) p.child.kill("SIGTERM");
    const codes = await Promise.all(ps.map((p) => p.exited));
    expect(codes, ps.map((p) => p.output()).join("\n")).toEqual([0, 0]);

    const all = dirs.flatMap(backupsIn);
    // scheduled backups are named after their slot's start time
    const slots = all.map((n) => parseBackupDirName(n)!.getTime() / 1000 / INTERVAL);
    expect(slots.every(Number.isInteger)).toBe(true);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(all.length); // never two backups of one slot
    const logs = ps.map((p) => p.output()).join("\n");
    expect(logs).toContain("backup skipped: another Nexus process took this one");
    expect(logs).not.toContain("BACKUP FAILED");
    expect(logs).toContain("shutdown complete");
  }, 90_000);
});
