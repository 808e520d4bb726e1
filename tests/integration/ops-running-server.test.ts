import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Status } from "@/lib/ops/status";
import { request } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * A real server (`npm start`) on the embedded database: it prints the psql line, psql
 * reaches the database through its socket, and the admin CLI works while it runs
 * (key create, user create, backup), the server seeing a new key at once.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function psql(port: number, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      "psql",
      ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "nexus", "-X", ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(testDbKind !== "embedded")("a running server on the embedded database", () => {
  let database: TestDatabase;
  let server: TestServer;
  let psqlPort: number;
  let env: Record<string, string | undefined>;
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-ops-backups-"));

  beforeAll(async () => {
    database = await prepareDatabase({ monitor: "monitor", agent: "agent" });
    psqlPort = await freePort();
    const extra = { NEXUS_PGLITE_PORT: String(psqlPort), NEXUS_BACKUP_DIR: backupDir };
    server = await startServer(await freePort(), database, extra);
    // the CLI is not told the port: it reads the one the server noted beside its folder
    // (another server may hold the default 5433)
    env = baseEnv({ ...database.env, NEXUS_BACKUP_DIR: backupDir, NEXUS_PGLITE_PORT: "5433" });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    if (database) await removeDatabase(database);
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it("prints the psql line, and psql runs queries on the live data", async () => {
    expect(server.output()).toContain(`psql -h 127.0.0.1 -p ${psqlPort} -U postgres -d nexus`);
    const r = await psql(psqlPort, [
      "-tA",
      "-c",
      "SELECT agent_id, COUNT(*) FROM approval_requests GROUP BY agent_id",
    ]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const keys = await psql(psqlPort, ["-tA", "-c", "SELECT name FROM api_keys ORDER BY name"]);
    expect(keys.stdout.trim().split("\n")).toEqual(["agent", "monitor"]);
  });

  it("the CLI creates a key and a user while the server runs; the server sees the key at once", async () => {
    const k = await runScript(
      "scripts/cli.ts",
      ["key", "create", "--name", "made-while-running", "--role", "agent"],
      env,
      90_000,
    );
    expect(k.stderr).toBe("");
    expect(k.code).toBe(0);
    const key = k.stdout.trim().split("\n").at(-1)!;
    const me = await request(server, "GET", "/api/v1/me", { key });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain("made-while-running");

    const u = await runScript(
      "scripts/cli.ts",
      ["user", "create", "--email", "ops@example.com", "--role", "admin", "--password-stdin"],
      env,
      90_000,
      "a-long-enough-password-1",
    );
    expect(u.stderr).toBe("");
    expect(u.code).toBe(0);
    const list = await runScript("scripts/cli.ts", ["user", "list"], env, 90_000);
    expect(list.stdout).toContain("ops@example.com");
  }, 300_000);

  it("the CLI rebuilds the metrics rollup through the server's socket", async () => {
    const r = await runScript("scripts/cli.ts", ["metrics", "rebuild"], env, 90_000);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rebuilt the metrics rollup: \d+ hitl_metrics rows/);
  }, 120_000);

  it("the CLI's backup asks the server (SIGUSR2) and reports the file", async () => {
    const b = await runScript("scripts/cli.ts", ["backup"], env, 150_000);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    const file = /backup written: (\S+\.sql)/.exec(b.stdout)?.[1];
    expect(file).toBeDefined();
    expect(fs.readFileSync(file!, "utf8")).toContain("PostgreSQL database dump complete");
    const status = await request<Status>(server, "GET", "/api/v1/status", {
      key: database.keys.monitor,
    });
    expect(status.status).toBe(200);
    expect(status.body.backups.last?.path).toBe(file);
    expect(status.body.connections.psqlPort).toBe(psqlPort);
  }, 200_000);

  it("an app request waits for a transaction psql opened, never runs inside it", async () => {
    const child = execFile(
      "psql",
      ["-h", "127.0.0.1", "-p", String(psqlPort), "-U", "postgres", "-d", "nexus", "-X"],
      { timeout: 30_000 },
    );
    child.stdin!.write(
      "BEGIN;\nUPDATE api_keys SET name = 'renamed-in-tx' WHERE name = 'agent';\nSELECT 'in-tx-ready';\n",
    );
    await new Promise<void>((resolve) =>
      child.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("in-tx-ready")) resolve();
      }),
    );
    const started = Date.now();
    const me = await request(server, "GET", "/api/v1/me", { key: database.keys.agent });
    const ms = Date.now() - started;
    // the psql session idles in its transaction: rolled back after 5 s (the default),
    // or the app gives up earlier with 503; either way it never saw 'renamed-in-tx'
    expect([200, 503]).toContain(me.status);
    if (me.status === 200) expect(JSON.stringify(me.body)).not.toContain("renamed-in-tx");
    expect(ms).toBeLessThan(8000);
    child.kill();
    const after = await request(server, "GET", "/api/v1/me", { key: database.keys.agent });
    expect(after.status).toBe(200);
    const names = await psql(psqlPort, ["-tA", "-c", "SELECT name FROM api_keys ORDER BY name"]);
    expect(names.stdout).not.toContain("renamed-in-tx");
  });

  it("a 3 s psql query: app latency meanwhile (measured)", async () => {
    const long = psql(psqlPort, ["-c", "SELECT pg_sleep(3)"]);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const res = await fetch(`${server.url}/api/health`);
    const ms = Date.now() - started;
    expect((await long).code).toBe(0);
    console.log(`app request during a 3 s psql query: ${res.status} in ${ms} ms`);
    expect(res.status).toBeLessThan(600);
  });

  it("audit verify through the socket; one row changed with psql makes it fail naming that row", async () => {
    const nexus = (...args: string[]) => runScript("scripts/cli.ts", args, env, 120_000);
    const ok = await nexus("audit", "verify");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/audit log verified: \d+ entries checked, chain intact/);
    const key = await psql(psqlPort, [
      "-tA",
      "-c",
      "SELECT min(entry_id) FROM audit_chain WHERE seq > 1",
    ]);
    const id = key.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    // the app's own role is refused by the trigger …
    const refused = await psql(psqlPort, [
      "-c",
      `UPDATE audit_log SET actor = 'x' WHERE id = ${id}`,
    ]);
    expect(refused.stderr).toContain("audit_log is append-only: UPDATE refused");
    // … a superuser turning triggers off for one transaction is not, and verify sees it
    // (SET LOCAL: PGlite's sessions share one backend, a plain SET would outlive psql)
    const tamper = await psql(psqlPort, [
      "-c",
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE audit_log SET actor = 'mallory' WHERE id = ${id}; COMMIT;`,
    ]);
    expect(tamper.code, tamper.stderr).toBe(0);
    const bad = await nexus("audit", "verify");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`audit log BROKEN at entry ${id} (chain position 2)`);
  });
});
