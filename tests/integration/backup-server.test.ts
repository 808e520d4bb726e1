import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { takeBackup } from "@/db/ops/backup";
import { restoreDump } from "@/db/ops/restore";
import { seedDemo } from "@/db/seed";
import { dbConfigFrom, type DbConfig } from "@/lib/env";
import {
  dropTestDatabase,
  setupTestDatabase,
  teardownTestDatabase,
  testDbKind,
  uniqueName,
} from "../helpers/db";
import { expectRestored, snapshotAll } from "../helpers/snapshot";

/*
 * PostgreSQL-server specifics: pg_dump failures, and dumps crossing between the server
 * (pg_dump 15) and the embedded database (PGlite's pg_dump 18). Needs NEXUS_TEST_DB=server.
 */
describe.runIf(testDbKind === "server")("server backups (pg_dump)", () => {
  let database: Database;
  let root: string;
  let fakeBin: string;
  const extra: DbConfig[] = [];
  const realPath = process.env.PATH;

  beforeAll(async () => {
    database = await setupTestDatabase();
    await seedDemo(database.db);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-backups-"));
    fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-fakebin-"));
  });
  afterAll(async () => {
    process.env.PATH = realPath;
    for (const c of extra) await dropTestDatabase(c).catch(() => {});
    await teardownTestDatabase(database);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(fakeBin, { recursive: true, force: true });
  });

  function fakePgDump(script: string) {
    const p = path.join(fakeBin, "pg_dump");
    fs.writeFileSync(p, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    process.env.PATH = `${fakeBin}:${realPath}`;
  }
  function listing(dir: string) {
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  }

  test("a failing pg_dump leaves earlier backups untouched, no partial folder, and says why", async () => {
    process.env.PATH = realPath;
    const good = await takeBackup({ database, kind: "hourly", root, keep: 1 });
    const goodBytes = fs.readFileSync(good.file);
    // the fake writes half a file, complains and fails, as a real one losing its connection would
    fakePgDump(
      'case "$1" in --version) echo "pg_dump (PostgreSQL) 15.20"; exit 0;; esac\n' +
        'for a in "$@"; do case "$a" in --file=*) echo "CREATE TABLE half (" > "${a#--file=}";; esac; done\n' +
        'echo "pg_dump: error: connection to server lost" >&2; exit 1',
    );
    await expect(
      takeBackup({
        database,
        kind: "hourly",
        root,
        keep: 1,
        now: new Date(Date.now() + 3_600_000),
      }),
    ).rejects.toThrow(/pg_dump failed \(exit code 1\): pg_dump: error: connection to server lost/);
    expect(listing(path.join(root, "hourly"))).toEqual([path.basename(path.dirname(good.file))]);
    expect(fs.readFileSync(good.file)).toEqual(goodBytes);
  });

  test("a pg_dump older than the server is refused with a clear message", async () => {
    fakePgDump('echo "pg_dump (PostgreSQL) 12.1"; exit 0');
    await expect(takeBackup({ database, kind: "daily", root })).rejects.toThrow(
      /pg_dump 12 cannot back up a PostgreSQL 1\d server/,
    );
    expect(listing(path.join(root, "daily"))).toEqual([]);
  });

  test("a missing pg_dump is reported as such", async () => {
    process.env.PATH = fakeBin; // an empty folder
    fs.rmSync(path.join(fakeBin, "pg_dump"), { force: true });
    await expect(takeBackup({ database, kind: "daily", root })).rejects.toThrow(
      /pg_dump was not found on PATH/,
    );
  });

  test("a PostgreSQL 15 pg_dump file restores into the embedded database", async () => {
    process.env.PATH = realPath;
    const r = await takeBackup({ database, kind: "daily", root });
    expect(fs.readFileSync(r.file, "utf8")).toMatch(
      /COPY public\.approval_requests .* FROM stdin;/,
    );
    const target = dbConfigFrom({
      NEXUS_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "nexus-restore-")),
    });
    extra.push(target);
    await restoreDump({ config: target, file: r.file });
    const d = await openDatabase(target);
    try {
      expectRestored(await snapshotAll(d.db), await snapshotAll(database.db));
    } finally {
      await d.close();
    }
  });

  test("a PGlite dump restores into PostgreSQL 15 (newer-only settings skipped)", async () => {
    const source = dbConfigFrom({
      NEXUS_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "nexus-src-")),
    });
    extra.push(source);
    const src = await openDatabase(source);
    let expected: Record<string, string[]>;
    let file: string;
    try {
      await seedDemo(src.db);
      expected = await snapshotAll(src.db);
      file = (await takeBackup({ database: src, kind: "hourly", root: path.join(root, "pglite") }))
        .file;
    } finally {
      await src.close();
    }
    const target = dbConfigFrom({
      DB_HOST: process.env.DB_HOST || "127.0.0.1",
      NEXUS_DB: uniqueName(),
    });
    extra.push(target);
    const r = await restoreDump({ config: target, file });
    expect(r.skipped.join("\n")).toMatch(/transaction_timeout/);
    const d = await openDatabase(target);
    try {
      expectRestored(await snapshotAll(d.db), expected);
    } finally {
      await d.close();
    }
  });
});
