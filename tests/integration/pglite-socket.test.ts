import { execFile } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Database } from "@/db/client";
import { pgliteOf } from "@/db/ops/clients";
import { startPgliteSocket, type PgliteSocketServer } from "@/server/pglite-socket";
import { seedDemo } from "@/db/seed";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * The real psql binary against the embedded database's loopback socket: every example
 * query of the original database document, COPY … TO STDOUT CSV, and the isolation of
 * the app's connection from a transaction psql opens.
 */

function psql(port: number, args: string[], input?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      "psql",
      ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "nexus", "-X", ...args],
      { env: { ...process.env, PGCONNECT_TIMEOUT: "5" }, timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

const EXAMPLES = [
  // the original document's example queries, verbatim
  "SELECT * FROM approval_requests WHERE approved = true ORDER BY approved_at DESC",
  "SELECT * FROM approval_requests WHERE approved IS NULL ORDER BY timestamp DESC",
  "SELECT agent_id, COUNT(*) as total, SUM(CASE WHEN approved THEN 1 ELSE 0 END) as approved FROM approval_requests GROUP BY agent_id",
  "SELECT agent_id, COUNT(*) FROM approval_requests GROUP BY agent_id",
  "SELECT * FROM question_requests WHERE response IS NOT NULL ORDER BY response_at DESC",
  "SELECT * FROM question_requests WHERE response IS NULL ORDER BY timestamp DESC",
  "SELECT question, COUNT(*) FROM question_requests WHERE agent_id = 'architect-agent' GROUP BY question",
  "SELECT request_type, AVG(response_time_ms) as avg_ms, COUNT(*) as total FROM hitl_metrics GROUP BY request_type",
  "SELECT request_type, response_time_ms, created_at FROM hitl_metrics ORDER BY response_time_ms DESC LIMIT 10",
  "SELECT * FROM approval_requests LIMIT 5",
  "SELECT COUNT(*) FROM approval_requests",
  "SELECT json_agg(row_to_json(t)) FROM approval_requests t",
  // PGlite's one database is named "postgres" (psql -d nexus is accepted): the size check
  // names it by current_database() (docs/operations.md)
  "SELECT pg_size_pretty(pg_database_size(current_database()))",
  "SELECT schemaname, tablename, pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) AS size FROM pg_tables WHERE schemaname = 'public' ORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC",
  "SELECT datname, count(*) FROM pg_stat_activity GROUP BY datname",
];

describe.skipIf(testDbKind !== "embedded")("psql into the embedded database", () => {
  let database: Database;
  let socket: PgliteSocketServer;

  beforeAll(async () => {
    database = await setupTestDatabase();
    await seedDemo(database.db);
    socket = await startPgliteSocket(pgliteOf(database), {
      port: 0,
      statementTimeoutMs: 5000,
      idleTransactionMs: 1500,
    });
  });

  afterAll(async () => {
    await socket?.stop();
    await teardownTestDatabase(database);
  });

  it("runs every example query of the original document", async () => {
    for (const q of EXAMPLES) {
      const r = await psql(socket.port, ["-v", "ON_ERROR_STOP=1", "-c", q]);
      expect({ q, code: r.code, stderr: r.stderr }).toEqual({ q, code: 0, stderr: "" });
    }
    const count = await psql(socket.port, ["-tA", "-c", "SELECT COUNT(*) FROM approval_requests"]);
    const [row] = await rows<{ n: number }>(
      database.db,
      sql`SELECT COUNT(*)::int AS n FROM approval_requests`,
    );
    expect(Number(count.stdout.trim())).toBe(row!.n);
    expect(row!.n).toBeGreaterThan(0);
  });

  it("runs \\d, \\x and a script from stdin", async () => {
    const r = await psql(
      socket.port,
      ["-v", "ON_ERROR_STOP=1"],
      "\\d approval_requests\n\\x\nSELECT id FROM approval_requests LIMIT 1;\n",
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("agent_id");
    expect(r.stdout).toMatch(/-\[ RECORD 1 \]/);
  });

  it("exports with COPY … TO STDOUT CSV", async () => {
    const r = await psql(socket.port, ["-c", "COPY approval_requests TO STDOUT WITH CSV HEADER"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toContain("agent_id");
    const q = await psql(socket.port, ["-c", "COPY question_requests TO STDOUT WITH CSV HEADER"]);
    expect(q.stdout.split("\n")[0]).toContain("question");
  });

  it("keeps the app out of a transaction psql opened, and rolls an idle one back", async () => {
    const pg = pgliteOf(database);
    // psql opens a transaction and writes, then idles (its stdin stays open).
    const child = execFile(
      "psql",
      ["-h", "127.0.0.1", "-p", String(socket.port), "-U", "postgres", "-d", "nexus", "-X"],
      { timeout: 20_000 },
    );
    child.stdin!.write("BEGIN;\nCREATE TABLE psql_tx_probe (x int);\nSELECT 'in-tx-ready';\n");
    await new Promise<void>((resolve) =>
      child.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("in-tx-ready")) resolve();
      }),
    );
    // An app query meanwhile must not run inside psql's transaction: it waits for it.
    const started = Date.now();
    const inTx = await pg.transaction(async (tx) => {
      const r = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'psql_tx_probe'",
      );
      return r.rows[0]!.n;
    });
    const waited = Date.now() - started;
    expect(inTx).toBe(0); // never saw psql's uncommitted table
    expect(waited).toBeGreaterThanOrEqual(1000); // it waited for the idle rollback (1.5 s)
    expect(waited).toBeLessThan(5000);
    const after = await pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'psql_tx_probe'",
    );
    expect(after.rows[0]!.n).toBe(0); // rolled back
    expect(pg.isInTransaction()).toBe(false);
    child.kill();
  });

  it("a long psql query holds the whole process up for its duration (measured, documented)", async () => {
    // PGlite runs a statement synchronously (WASM) and does not enforce statement_timeout:
    // the event loop, and with it every HTTP request of the process, waits for it.
    const pg = pgliteOf(database);
    const long = psql(socket.port, ["-c", "SELECT pg_sleep(3)"]);
    while (socket.sessions() === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 200)); // a request arriving 200 ms into it
    await pg.query("SELECT 1");
    const appMs = Date.now() - t0 - 200;
    expect((await long).code).toBe(0);
    console.log(`app query 200 ms into a 3 s psql query answered ${appMs} ms late`);
    expect(appMs).toBeGreaterThan(2000);
  });

  it("leaves the app's session settings as they were", async () => {
    await psql(socket.port, [
      "-c",
      "SET TIME ZONE 'America/New_York'; SET search_path = pg_catalog",
    ]);
    const pg = pgliteOf(database);
    const tz = await pg.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
    expect(tz.rows[0]!.tz).toBe("UTC");
    const sp = await pg.query<{ sp: string }>("SELECT current_setting('search_path') AS sp");
    expect(sp.rows[0]!.sp).toContain("public");
  });

  it("listens on loopback only", async () => {
    const other = Object.values((await import("node:os")).networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    if (!other) return; // no non-loopback interface on this machine
    const refused = await new Promise<boolean>((resolve) => {
      const c = net.connect(socket.port, other);
      c.on("connect", () => {
        c.destroy();
        resolve(false);
      });
      c.on("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
