import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { dbConfigFrom } from "@/lib/env";
import { dropTestDatabase, testDbKind, uniqueName } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";

const serverEnv = () => {
  const e: Record<string, string | undefined> = {};
  if (process.env.DATABASE_URL) e.DATABASE_URL = process.env.DATABASE_URL;
  e.DB_HOST = process.env.DB_HOST || "127.0.0.1";
  if (process.env.DB_PORT) e.DB_PORT = process.env.DB_PORT;
  if (process.env.DB_USER) e.DB_USER = process.env.DB_USER;
  if (process.env.DB_PASSWORD) e.DB_PASSWORD = process.env.DB_PASSWORD;
  return e;
};

describe("configuration errors are one clear line", () => {
  test("DB_PORT that is not a number", async () => {
    const r = await runScript("scripts/migrate.ts", [], baseEnv({ DB_PORT: "abc" }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('nexus: DB_PORT must be a port number 1-65535, got "abc"');
  });

  test("an unreachable server names host and port, without a stack trace", async () => {
    const r = await runScript(
      "scripts/migrate.ts",
      [],
      baseEnv({ DB_HOST: "127.0.0.1", DB_PORT: "1" }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nexus: Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("DATABASE_URL with a foreign scheme", () => {
    expect(() => dbConfigFrom({ DATABASE_URL: "mysql://x@y/z" })).toThrow(
      /must start with postgres:\/\//,
    );
  });

  test("no database variables means the embedded database, NEXUS_DATA_DIR chooses its folder", () => {
    const c = dbConfigFrom({ NEXUS_DATA_DIR: "/tmp/somewhere" });
    expect(c).toMatchObject({ kind: "embedded", dataDir: "/tmp/somewhere" });
    expect(dbConfigFrom({})).toMatchObject({
      kind: "embedded",
      dataDir: path.resolve(".nexus/data"),
    });
  });

  test("seed variables build the server URL with the seed's defaults", () => {
    expect(dbConfigFrom({ NEXUS_DB: "other" })).toMatchObject({
      kind: "server",
      host: "localhost",
      port: 5432,
      user: "postgres",
      database: "other",
      url: "postgres://postgres@localhost:5432/other",
      maintenanceUrl: "postgres://postgres@localhost:5432/postgres",
    });
    expect(
      dbConfigFrom({ DB_HOST: "db", DB_USER: "u", DB_PASSWORD: "p@ss" }).kind === "server" &&
        dbConfigFrom({ DB_HOST: "db", DB_USER: "u", DB_PASSWORD: "p@ss" }),
    ).toMatchObject({
      url: "postgres://u:p%40ss@db:5432/nexus",
    });
  });
});

describe.runIf(testDbKind === "embedded")("embedded database folder lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-lock-"));
  const dataDir = path.join(dir, "data");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a second process gets a clear error while the first holds the folder, and may open it after", async () => {
    fs.writeFileSync(path.join(dir, "data.lock"), String(process.pid)); // we are "the first process"
    const second = await runScript("scripts/migrate.ts", [], baseEnv({ NEXUS_DATA_DIR: dataDir }));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by another process (pid ${process.pid})`);
    fs.rmSync(path.join(dir, "data.lock"));
    const third = await runScript("scripts/migrate.ts", [], baseEnv({ NEXUS_DATA_DIR: dataDir }));
    expect(third.code, third.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, "data.lock"))).toBe(false); // released at exit
  });

  test("a lock left by a dead process is taken over", async () => {
    fs.writeFileSync(path.join(dir, "data.lock"), "999999");
    const r = await runScript("scripts/migrate.ts", [], baseEnv({ NEXUS_DATA_DIR: dataDir }));
    expect(r.code, r.stderr).toBe(0);
  });
});

describe.runIf(testDbKind === "server")("server database creation and migration", () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created)
      await dropTestDatabase(
        dbConfigFrom({ ...serverEnv(), NEXUS_DB: name, DATABASE_URL: undefined }),
      );
  });

  test("a missing database is created with the three tables, by two processes racing, migrated once", async () => {
    const name = uniqueName("nexus_autocreate");
    created.push(name);
    const env = baseEnv({ ...serverEnv(), DATABASE_URL: undefined, NEXUS_DB: name });
    delete env.DATABASE_URL;
    const [a, b] = await Promise.all([
      runScript("scripts/migrate.ts", [], env),
      runScript("scripts/migrate.ts", [], env),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const config = dbConfigFrom(env);
    const sql = postgres(config.kind === "server" ? config.url : "", {
      max: 1,
      onnotice: () => {},
    });
    try {
      const tables =
        await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`;
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(["approval_requests", "question_requests", "hitl_metrics"]),
      );
      const applied = await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
      const journal = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "../../drizzle/meta/_journal.json"), "utf8"),
      );
      expect(applied[0]!.n).toBe(journal.entries.length);
    } finally {
      await sql.end();
    }
  });
});
