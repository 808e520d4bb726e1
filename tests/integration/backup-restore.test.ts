import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, rows, type Database } from "@/db/client";
import { pgliteOf } from "@/db/ops/clients";
import { takeBackup } from "@/db/ops/backup";
import { restoreDump } from "@/db/ops/restore";
import { decideRequest } from "@/db/queries/request-store";
import { createApiKey } from "@/db/queries/api-keys";
import { approvalRequests, hitlMetrics } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { dbConfigFrom, type DbConfig } from "@/lib/env";
import { backupDirName } from "@/lib/ops/backup-plan";
import {
  dropTestDatabase,
  setupTestDatabase,
  teardownTestDatabase,
  testDbKind,
  uniqueName,
} from "../helpers/db";
import { expectRestored, snapshotAll } from "../helpers/snapshot";

/** The store's decision for an approval, in the shape these tests were written for. */
const decideApproval = (i: {
  id: string;
  approved: boolean;
  comment?: string | null;
  decidedBy: string;
}) =>
  decideRequest("approval", {
    id: i.id,
    decision: { approved: i.approved, comment: i.comment ?? null },
    decidedBy: i.decidedBy,
  });

let database: Database;
let root: string;
const extra: DbConfig[] = [];

beforeAll(async () => {
  database = await setupTestDatabase();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-backups-"));
  await seedDemo(database.db);
  // data the seed does not cover: awkward text, a decision, an API key
  const id = randomUUID();
  await database.db.insert(approvalRequests).values({
    id,
    filePath: "src/a b;c.ts",
    diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-it\'s; -- no\n+\\N \t tab "q" ünï ✓\n',
    agentId: "agent-1",
  });
  await decideApproval({ id, approved: false, comment: "line1\nline2", decidedBy: "r@x" });
  await createApiKey({ name: "ci-bot", role: "agent", createdBy: "admin" });
});
afterAll(async () => {
  for (const c of extra) await dropTestDatabase(c).catch(() => {});
  await teardownTestDatabase(database);
  fs.rmSync(root, { recursive: true, force: true });
});

function freshConfig(kind: "embedded" | "server"): DbConfig {
  const c =
    kind === "embedded"
      ? dbConfigFrom({ NEXUS_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "nexus-restore-")) })
      : dbConfigFrom({ DB_HOST: process.env.DB_HOST || "127.0.0.1", NEXUS_DB: uniqueName() });
  extra.push(c);
  return c;
}

async function snapshotOf(config: DbConfig) {
  const d = await openDatabase(config); // migrates: proves migrations still apply
  try {
    return await snapshotAll(d.db);
  } finally {
    await d.close();
  }
}

describe(`backup and restore (${testDbKind})`, () => {
  let file: string;

  test("a backup is plain SQL at <kind>/backup_YYYYMMDD_HHMMSS/<db>.sql", async () => {
    const r = await takeBackup({ database, kind: "hourly", root });
    file = r.file;
    const dbName = database.config.kind === "server" ? database.config.database : "nexus";
    expect(path.relative(root, r.file)).toMatch(
      new RegExp(`^hourly/backup_\\d{8}_\\d{6}/${dbName}\\.sql$`),
    );
    // A dump holds every diff, answer and password hash: owner-only, whatever the umask.
    expect((fs.statSync(r.file).mode & 0o777).toString(8)).toBe("600");
    const text = fs.readFileSync(r.file, "utf8");
    expect(text).toContain("CREATE TABLE public.approval_requests");
    expect(text.trimEnd()).toMatch(/PostgreSQL database dump complete$/m);
    expect(fs.readdirSync(path.join(root, "hourly")).filter((n) => n.startsWith("."))).toEqual([]);
  });

  test.runIf(testDbKind === "embedded")(
    "an embedded backup leaves the shared session as it was (no open transaction, UTC)",
    async () => {
      const pg = pgliteOf(database);
      expect(pg.isInTransaction()).toBe(false);
      const [tz] = await rows<{ TimeZone: string }>(database.db, sql`SHOW TimeZone`);
      expect(tz!.TimeZone).toBe("UTC");
    },
  );

  test("restoring it into a fresh database gives identical rows in every table", async () => {
    const before = await snapshotAll(database.db);
    expect(before["public.approval_requests"]!.length).toBeGreaterThan(10);
    expect(before["drizzle.__drizzle_migrations"]!.length).toBeGreaterThan(0);
    const target = freshConfig(testDbKind);
    await restoreDump({ config: target, file });
    expectRestored(await snapshotOf(target), before);
  });

  test("sequences are restored: a new metrics row after restore does not collide", async () => {
    const target = freshConfig(testDbKind);
    await restoreDump({ config: target, file });
    const d = await openDatabase(target);
    try {
      await d.db
        .insert(hitlMetrics)
        .values({ requestType: "question", requestId: randomUUID(), responseTimeMs: 1 });
    } finally {
      await d.close();
    }
  });

  test("restore refuses a database that is not empty; --force replaces its contents", async () => {
    const target = freshConfig(testDbKind);
    const d = await openDatabase(target); // migrated: has tables
    await d.db
      .insert(approvalRequests)
      .values({ id: randomUUID(), filePath: "only-here", diff: "x", agentId: "a" });
    await d.close();
    await expect(restoreDump({ config: target, file })).rejects.toThrow(/not empty.*--force/s);
    const r = await restoreDump({ config: target, file, force: true });
    expect(r.dropped).toBe(true);
    expectRestored(await snapshotOf(target), await snapshotAll(database.db));
  });

  test("retention keeps exactly the newest 6 hourly and 7 daily backups", async () => {
    for (const kind of ["hourly", "daily"] as const) {
      const dir = path.join(root, "retention", kind);
      const old = Array.from({ length: 9 }, (_, i) =>
        backupDirName(new Date(Date.UTC(2020, 0, 1 + i))),
      );
      for (const n of old) fs.mkdirSync(path.join(dir, n), { recursive: true });
      fs.writeFileSync(path.join(dir, "README.txt"), "not a backup");
      const keep = kind === "hourly" ? 6 : 7;
      const r = await takeBackup({ database, kind, root: path.join(root, "retention"), keep });
      const left = fs
        .readdirSync(dir)
        .filter((n) => n.startsWith("backup_"))
        .sort();
      expect(left).toHaveLength(keep);
      expect(left).toContain(path.basename(path.dirname(r.file)));
      expect(left).toEqual([...old.slice(9 - (keep - 1)), path.basename(path.dirname(r.file))]);
      expect(fs.existsSync(path.join(dir, "README.txt"))).toBe(true);
    }
  });
});
