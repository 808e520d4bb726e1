import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as status } from "@/app/api/v1/status/route";
import { GET as prometheus } from "@/app/api/prometheus/route";
import { GET as approvalGet } from "@/app/api/v1/approvals/[id]/route";
import { POST as approvalCreate } from "@/app/api/v1/approvals/route";
import { GET as events } from "@/app/api/v1/events/route";
import { POST as approvalDecide } from "@/app/api/v1/approvals/[id]/decision/route";
import { rows, type Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { takeBackup } from "@/db/ops/backup";
import { seedDemo } from "@/db/seed";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { resetEnvCache } from "@/lib/env";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import type { Status } from "@/lib/ops/status";
import { RESPONSE_BUCKETS_S } from "@/server/metrics";
import { responseHistogram } from "@/db/queries/status";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";
import { DIFF } from "../helpers/api";

/*
 * GET /api/v1/status and GET /api/prometheus, in process on a real database: who may
 * read them, each figure against the database's own answer, and the Prometheus text
 * checked by promtool with its response histogram equal to hitl_metrics.
 */

let database: Database;
const keys: Record<string, string> = {};
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-status-backups-"));

type Ctx = { params: Promise<Record<string, string>> };
const ctx = (params: Record<string, string> = {}): Ctx => ({ params: Promise.resolve(params) });
const req = (url: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  new Request(`http://localhost${url}`, { ...init, headers });
const bearer = (k: string) => ({ authorization: `Bearer ${keys[k]}` });

async function readStatus(): Promise<Status> {
  const res = await status(req("/api/v1/status", bearer("monitor")));
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

beforeAll(async () => {
  process.env.NEXUS_BACKUP_DIR = backupDir;
  resetEnvCache();
  database = await setupTestDatabase();
  await seedDemo(database.db);
  for (const [name, role] of [
    ["monitor", "monitor"],
    ["agent", "agent"],
    ["reviewer", "reviewer"],
  ] as const)
    keys[name] = (await createApiKey({ name, role })).key;
});

afterAll(async () => {
  await teardownTestDatabase(database);
  fs.rmSync(backupDir, { recursive: true, force: true });
  delete process.env.NEXUS_BACKUP_DIR;
  resetEnvCache();
});

/** Each kind's table and decision column, written here by hand as the test's own answer (a new kind must add a row). */
const PENDING_SQL: Record<RequestKind, [table: string, decided: string]> = {
  approval: ["approval_requests", "approved"],
  question: ["question_requests", "response"],
  tool_call: ["tool_call_requests", "approved"],
};

describe(`status and Prometheus (${testDbKind})`, () => {
  it("status: a monitor key reads it; agent and reviewer keys get 403, nobody 401", async () => {
    expect((await status(req("/api/v1/status"))).status).toBe(401);
    for (const k of ["agent", "reviewer"])
      expect((await status(req("/api/v1/status", bearer(k)))).status).toBe(403);
    expect((await status(req("/api/v1/status", bearer("monitor")))).status).toBe(200);
  });

  it("a monitor key reads nothing else: requests, metrics, events, openapi", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    const r = await approvalGet(
      req(`/api/v1/approvals/${id}`, bearer("monitor")),
      ctx({ id }) as never,
    );
    expect(r.status).toBe(403);
    const c = await approvalCreate(
      req(
        "/api/v1/approvals",
        { ...bearer("monitor"), "content-type": "application/json" },
        {
          method: "POST",
          body: JSON.stringify({ file_path: "a.ts", diff: DIFF, agent_id: "x" }),
        },
      ),
      ctx() as never,
    );
    expect(c.status).toBe(403);
  });

  it("shows each figure, equal to the database's own answer", async () => {
    // undecided but expired, and older than every pending request: pending nowhere
    const expiredId = "00000000-0000-4000-8000-00000000e001";
    await database.db.execute(
      sql`INSERT INTO approval_requests (id, file_path, diff, agent_id, timestamp, created_at, expires_at)
          VALUES (${expiredId}, 'old.ts', 'x', 'expired-agent', '2001-01-01', '2001-01-01', '2001-01-02')`,
    );
    const s = await readStatus();
    expect(s.oldestPending?.id).not.toBe(expiredId);
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    expect(s.version).toBe(pkg.version);
    const git = spawnSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
    expect(s.commit).toBe(git || null);
    expect(s.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(s.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(s.database.kind).toBe(testDbKind);
    expect(s.database.where).toBe(
      database.config.kind === "embedded"
        ? database.config.dataDir
        : `${database.config.host}:${database.config.port}/${database.config.database}`,
    );
    const [size] = await rows<{ n: string }>(
      database.db,
      sql`SELECT pg_database_size(current_database())::text AS n`,
    );
    // the size moves a little as the database works; same order of magnitude
    expect(Math.abs(s.database.sizeBytes - Number(size!.n))).toBeLessThan(Number(size!.n) * 0.1);
    for (const table of ["approval_requests", "question_requests", "hitl_metrics", "users"]) {
      const t = s.database.tables.find((x) => x.name === table);
      expect(t, table).toBeDefined();
      const [c] = await rows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM public.${sql.identifier(table)}`,
      );
      if (t!.rowsExact) expect(t!.rows, table).toBe(c!.n);
      else expect(Math.abs((t!.rows ?? 0) - c!.n), table).toBeLessThanOrEqual(c!.n * 0.2 + 5);
      expect(t!.bytes).toBeGreaterThan(0);
    }
    const journal = JSON.parse(fs.readFileSync("drizzle/meta/_journal.json", "utf8"));
    expect(s.database.migrationsApplied).toBe(journal.entries.length);
    expect(s.connections.poolMax).toBeGreaterThanOrEqual(1);
    expect(s.connections.listener).toBe(testDbKind === "server" ? 1 : 0);
    if (testDbKind === "server")
      expect(Object.values(s.connections.byState).length).toBeGreaterThan(0);
    expect(s.connections.psqlSessions).toBeNull(); // no socket served in this process
    expect(s.longPollsWaiting).toBe(0);
    expect(s.eventStreamsOpen).toBe(0);
    for (const kind of REQUEST_KINDS) {
      const [table, decided] = PENDING_SQL[kind];
      const [p] = await rows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM public.${sql.identifier(table)}
             WHERE ${sql.identifier(decided)} IS NULL AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')`,
      );
      expect(s.pending.find((x) => x.kind === kind)?.count, kind).toBe(p!.n);
    }
    const [oldest] = await rows<{ id: string; ts: string }>(
      database.db,
      sql`SELECT id, timestamp::text AS ts FROM (${sql.join(
        REQUEST_KINDS.map(
          (kind) =>
            sql`SELECT id, timestamp FROM ${sql.identifier(PENDING_SQL[kind][0])} WHERE ${sql.identifier(PENDING_SQL[kind][1])} IS NULL AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')`,
        ),
        sql` UNION ALL `,
      )}) p ORDER BY timestamp LIMIT 1`,
    );
    expect(s.oldestPending?.id).toBe(oldest!.id);
    expect(s.backups.enabled).toBe(false);
    expect(s.backups.last).toBeNull();
    expect(s.backups.next).toEqual([]);
  });

  it("shows the last backup (kind, time, size, path)", async () => {
    const r = await takeBackup({ database, kind: "daily" });
    const s = await readStatus();
    expect(s.backups.last).toEqual({
      kind: "daily",
      at: fs.statSync(r.file).mtime.toISOString(),
      bytes: r.bytes,
      path: r.file,
    });
  });

  it("prometheus: loopback without a token, else 401; a monitor key always", async () => {
    const loop = await prometheus(req("/api/prometheus", { [PEER_HEADER]: "127.0.0.1" }));
    expect(loop.status).toBe(200);
    const far = await prometheus(req("/api/prometheus", { [PEER_HEADER]: "203.0.113.9" }));
    expect(far.status).toBe(401);
    const proxied = await prometheus(
      req("/api/prometheus", { [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "203.0.113.9" }),
    );
    expect(proxied.status).toBe(401); // a local reverse proxy relaying the world
    const agent = await prometheus(
      req("/api/prometheus", { [PEER_HEADER]: "203.0.113.9", ...bearer("agent") }),
    );
    expect(agent.status).toBe(403);
    const mon = await prometheus(
      req("/api/prometheus", { [PEER_HEADER]: "203.0.113.9", ...bearer("monitor") }),
    );
    expect(mon.status).toBe(200);
  });

  it("prometheus: with NEXUS_PROMETHEUS_TOKEN only that bearer (or a monitor key)", async () => {
    process.env.NEXUS_PROMETHEUS_TOKEN = "a-long-scrape-token-0123456789";
    resetEnvCache();
    try {
      const loop = await prometheus(req("/api/prometheus", { [PEER_HEADER]: "127.0.0.1" }));
      expect(loop.status).toBe(401);
      const wrong = await prometheus(
        req("/api/prometheus", {
          [PEER_HEADER]: "203.0.113.9",
          authorization: "Bearer a-long-scrape-token-0123456788",
        }),
      );
      expect(wrong.status).toBe(401);
      const right = await prometheus(
        req("/api/prometheus", {
          [PEER_HEADER]: "203.0.113.9",
          authorization: "Bearer a-long-scrape-token-0123456789",
        }),
      );
      expect(right.status).toBe(200);
    } finally {
      delete process.env.NEXUS_PROMETHEUS_TOKEN;
      resetEnvCache();
    }
  });

  it("prometheus: the metrics, passing promtool, response histogram equal to hitl_metrics", async () => {
    // one request created and decided through the service: the per-process counters move
    const created = await approvalCreate(
      req(
        "/api/v1/approvals",
        { ...bearer("agent"), "content-type": "application/json" },
        {
          method: "POST",
          body: JSON.stringify({ file_path: "a.ts", diff: DIFF, agent_id: "prom-agent" }),
        },
      ),
      ctx() as never,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const decided = await approvalDecide(
      req(
        `/api/v1/approvals/${id}/decision`,
        { ...bearer("reviewer"), "content-type": "application/json" },
        {
          method: "POST",
          body: JSON.stringify({ approved: true }),
        },
      ),
      ctx({ id }) as never,
    );
    expect(decided.status).toBe(200);

    const res = await prometheus(req("/api/prometheus", { [PEER_HEADER]: "127.0.0.1" }));
    const text = await res.text();
    expect(res.headers.get("content-type")).toContain("text/plain");
    const value = (line: string) => {
      const m = text.split("\n").find((l) => l.startsWith(`${line} `));
      return m === undefined ? undefined : Number(m.slice(line.length + 1));
    };
    expect(value('nexus_requests_created_total{kind="approval"}')).toBe(1);
    expect(value('nexus_requests_created_total{kind="question"}')).toBe(0);
    expect(value('nexus_decisions_total{kind="approval",outcome="approved",by="human"}')).toBe(1);
    expect(text).toMatch(
      /nexus_http_request_duration_seconds_count\{route="\/api\/v1\/approvals",method="POST",status="201"\} 1/,
    );
    expect(text).toMatch(
      /route="\/api\/v1\/approvals\/\{id\}\/decision",method="POST",status="200"/,
    );
    expect(text).not.toContain(id); // never an id in a label
    for (const name of [
      "nexus_long_polls_waiting",
      "nexus_event_streams_open",
      "nexus_backup_last_success_timestamp_seconds",
      "process_cpu_seconds_total",
      "nodejs_heap_size_used_bytes",
    ])
      expect(value(name), name).toBeDefined();
    expect(value("nexus_backup_last_success_timestamp_seconds")).toBeGreaterThan(0);
    expect(text).toMatch(/nexus_db_pool_connections\{state="max"\} \d+/);

    for (const kind of REQUEST_KINDS) {
      const [table, decidedCol] = PENDING_SQL[kind];
      const [p] = await rows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM public.${sql.identifier(table)}
             WHERE ${sql.identifier(decidedCol)} IS NULL AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')`,
      );
      expect(value(`nexus_requests_pending{kind="${kind}"}`), kind).toBe(p!.n);

      const [h] = await rows<{ n: number; sum_ms: number }>(
        database.db,
        sql`SELECT count(*)::int AS n, coalesce(sum(response_time_ms), 0)::float8 AS sum_ms
              FROM hitl_metrics WHERE request_type = ${kind} AND response_time_ms IS NOT NULL`,
      );
      expect(value(`nexus_response_seconds_count{kind="${kind}"}`), kind).toBe(h!.n);
      expect(value(`nexus_response_seconds_sum{kind="${kind}"}`)).toBeCloseTo(h!.sum_ms / 1000, 6);
      expect(value(`nexus_response_seconds_bucket{kind="${kind}",le="+Inf"}`)).toBe(h!.n);
      for (const le of RESPONSE_BUCKETS_S) {
        const [b] = await rows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM hitl_metrics
               WHERE request_type = ${kind} AND response_time_ms <= ${le * 1000}`,
        );
        expect(
          value(`nexus_response_seconds_bucket{kind="${kind}",le="${le}"}`),
          `${kind} ${le}`,
        ).toBe(b!.n);
      }
    }
    expect(value('nexus_response_seconds_count{kind="approval"}')).toBeGreaterThan(0);

    const promtool = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    if (promtool.error) {
      console.warn(
        "promtool not installed (apt-get install prometheus): `promtool check metrics` skipped",
      );
      return;
    }
    expect(promtool.stdout + promtool.stderr).toBe("");
    expect(promtool.status).toBe(0);
  });

  it("the response histogram stays equal to hitl_metrics as rows arrive (cached part + fresh part)", async () => {
    const bounds = [1000, 60_000, 3_600_000];
    const direct = async () => {
      const r = await rows<{ t: string; n: number; s: number; b0: number; b1: number; b2: number }>(
        database.db,
        sql`SELECT request_type AS t, count(*)::int AS n, sum(response_time_ms)::float8 AS s,
                   count(*) FILTER (WHERE response_time_ms <= 1000)::int AS b0,
                   count(*) FILTER (WHERE response_time_ms <= 60000)::int AS b1,
                   count(*) FILTER (WHERE response_time_ms <= 3600000)::int AS b2
              FROM hitl_metrics WHERE response_time_ms IS NOT NULL GROUP BY 1`,
      );
      return new Map(r.map((x) => [x.t, { buckets: [x.b0, x.b1, x.b2], sumMs: x.s, count: x.n }]));
    };
    const insert = (n: number, from: number) =>
      database.db.execute(
        sql`INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id)
            SELECT CASE WHEN g % 3 = 0 THEN 'question' ELSE 'approval' END, gen_random_uuid(),
                   (g * 7919) % 7200000, 'bulk@example.com'
              FROM generate_series(${from}::int, ${from + n - 1}::int) g`,
      );
    await insert(2500, 1);
    expect(await responseHistogram(["approval", "question"], bounds)).toEqual(await direct());
    await insert(300, 10_000); // after the cached horizon moved
    expect(await responseHistogram(["approval", "question"], bounds)).toEqual(await direct());
  });

  it("counts long polls waiting and event streams open while they are", async () => {
    const created = await approvalCreate(
      req(
        "/api/v1/approvals",
        { ...bearer("agent"), "content-type": "application/json" },
        {
          method: "POST",
          body: JSON.stringify({ file_path: "w.ts", diff: DIFF, agent_id: "waiter" }),
        },
      ),
      ctx() as never,
    );
    const { id } = (await created.json()) as { id: string };
    const abort = new AbortController();
    const poll = approvalGet(
      new Request(`http://localhost/api/v1/approvals/${id}?wait=20`, {
        headers: bearer("agent"),
        signal: abort.signal,
      }),
      ctx({ id }) as never,
    );
    const stream = await events(
      new Request("http://localhost/api/v1/events", {
        headers: bearer("agent"),
        signal: abort.signal,
      }),
    );
    expect(stream.status).toBe(200);
    let s = await readStatus();
    for (let i = 0; i < 50 && s.longPollsWaiting === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await readStatus();
    }
    expect(s.longPollsWaiting).toBe(1);
    expect(s.eventStreamsOpen).toBe(1);
    abort.abort();
    await poll;
    await stream.body?.cancel().catch(() => {});
    for (let i = 0; i < 50 && (s.longPollsWaiting || s.eventStreamsOpen); i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await readStatus();
    }
    expect([s.longPollsWaiting, s.eventStreamsOpen]).toEqual([0, 0]);
  });
});
