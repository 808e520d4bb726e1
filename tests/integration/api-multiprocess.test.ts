import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * Several Nexus processes on one PostgreSQL (the embedded database admits one process,
 * so this file runs on the server only): a decision on one process wakes waiters on
 * another, and a process whose database connection drops answers 503, then catches
 * up on what it missed once the database is back.
 */

const PG_PORT = Number(process.env.DB_PORT || 5432);
const PG_HOST = process.env.DB_HOST || "127.0.0.1";

/** A TCP proxy in front of PostgreSQL that the test can cut and restore. */
function pgProxy(port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(PG_PORT, PG_HOST);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", resolve);
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  return { up, down };
}

const run = testDbKind === "server" ? describe : describe.skip;

run("several server processes on one PostgreSQL", () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  const proxy = pgProxy(3326);
  let agent: string;
  let reviewer: string;

  beforeAll(async () => {
    db = await prepareDatabase({ agent: "agent", reviewer: "reviewer" });
    agent = db.keys.agent!;
    reviewer = db.keys.reviewer!;
    await proxy.up();
    [a, b, c] = await Promise.all([
      startServer(3323, db),
      startServer(3324, db),
      startServer(3325, { ...db, env: { ...db.env, DB_PORT: "3326" } }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    await proxy.down();
    if (db) await removeDatabase(db);
  });

  const submit = (s: TestServer) =>
    request(s, "POST", "/api/v1/approvals", {
      key: agent,
      json: { file_path: "f.ts", diff: "--- a\n+++ b\n", agent_id: "multi" },
    });

  test("a long poll on process A is woken by a decision on process B within milliseconds", async () => {
    const { id } = (await submit(a)).body;
    const poll = request(a, "GET", `/api/v1/approvals/${id}?wait=30`, { key: agent }).then((r) => ({
      r,
      at: performance.now(),
    }));
    await new Promise((r) => setTimeout(r, 500));
    const dec = await request(b, "POST", `/api/v1/approvals/${id}/decision`, {
      key: reviewer,
      json: { approved: true },
    });
    const decidedAt = performance.now();
    expect(dec.status).toBe(200);
    const { r, at } = await poll;
    expect(r.body.status).toBe("approved");
    console.log(`cross-process wake: ${(at - decidedAt).toFixed(1)} ms after B answered`);
    expect(at - decidedAt).toBeLessThan(100);
  });

  test("the event stream on A reports a request created on B", async () => {
    const controller = new AbortController();
    const res = await fetch(`${a.url}/api/v1/events`, {
      headers: { Authorization: `Bearer ${agent}` },
      signal: controller.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { id } = (await submit(b)).body;
    let text = "";
    const deadline = Date.now() + 5000;
    while (!text.includes(id) && Date.now() < deadline) text += (await reader.read()).value ?? "";
    controller.abort();
    expect(text).toContain(`"id":"${id}"`);
    expect(text).toContain("event: request.created");
  });

  test("database unreachable: 503 with the error JSON; after it returns, a missed decision still wakes the waiter", async () => {
    const { id } = (await submit(c)).body;
    const poll = request(c, "GET", `/api/v1/approvals/${id}?wait=45`, { key: agent });
    await new Promise((r) => setTimeout(r, 500));
    await proxy.down();
    const during = await submit(c);
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe("service_unavailable");
    expect(during.headers.get("retry-after")).toBeTruthy();
    // decided elsewhere while C cannot hear the NOTIFY
    const dec = await request(a, "POST", `/api/v1/approvals/${id}/decision`, {
      key: reviewer,
      json: { approved: false, comment: "while you were away" },
    });
    expect(dec.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    const back = performance.now();
    await proxy.up();
    const r = await poll;
    const caughtUp = performance.now() - back;
    const heartbeat = c.output().includes("LISTEN connection lost");
    console.log(
      `waiter caught up ${caughtUp.toFixed(0)} ms after the database came back (${heartbeat ? "re-listened by the heartbeat" : "re-listened by the driver"})`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "rejected", comment: "while you were away" });
    expect(caughtUp).toBeLessThan(15_000);
    expect((await submit(c)).status).toBe(201);
  }, 60_000);
});
