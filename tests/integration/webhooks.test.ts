import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase, rows, type Database } from "@/db/client";
import { countEscalations, setEscalation } from "@/db/queries/escalation";
import { listPending } from "@/db/queries/inbox";
import { dispatchEvents } from "@/db/queries/outbox";
import { sweepTimedEvents } from "@/db/queries/request-store";
import {
  createWebhook,
  getWebhook,
  recentDeliveries,
  redeliver,
  webhookBacklog,
  webhookTargets,
} from "@/db/queries/webhooks";
import { approvalRequests, outboxDeliveries, outboxEvents, questionRequests } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import type { OutboxEventType, WebhookFormat } from "@/lib/notify/events";
import { newWebhookSecret } from "@/lib/notify/webhook-format";
import { decide, submit } from "@/server/requests/service";
import { webhookChannel } from "@/server/notify/webhook-channel";
import {
  DEFAULT_WORKER_OPTIONS,
  startOutboxWorker,
  type OutboxWorker,
  type WorkerOptions,
} from "@/server/notify/worker";
import { DIFF } from "../helpers/api";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";

/*
 * Outgoing webhooks end to end on a real database (PGlite, or PostgreSQL with
 * NEXUS_TEST_DB=server): the outbox written with the request, the worker delivering to
 * receivers on 127.0.0.1, retries, timeouts, restarts, disabling, escalation.
 */

let database: Database;
const agent: Principal = {
  kind: "key",
  id: "00000000-0000-4000-8000-000000000001",
  name: "bot",
  role: "agent",
};
const reviewer: Principal = {
  kind: "user",
  id: "u1",
  email: "rev@example.com",
  name: "Rev",
  role: "reviewer",
};

const workers: OutboxWorker[] = [];
const receivers: Receiver[] = [];

function worker(opts: Partial<WorkerOptions> = {}) {
  const w = startOutboxWorker({
    ...DEFAULT_WORKER_OPTIONS,
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    baseUrl: "https://nexus.example",
    channels: [webhookChannel],
    ...opts,
  });
  workers.push(w);
  return w;
}

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

async function hook(
  url: string,
  events: OutboxEventType[] = ["request.created"],
  more: { format?: WebhookFormat; agentId?: string | null; kind?: string | null } = {},
) {
  const secret = newWebhookSecret();
  const row = await createWebhook({
    url,
    events,
    format: more.format ?? "standard",
    agentId: more.agentId ?? null,
    kind: more.kind ?? null,
    secret,
    createdBy: "test",
  });
  return { ...row, secret };
}

let n = 0;
const submitApproval = (agentId = "agent-1", extra: Record<string, unknown> = {}) =>
  submit("approval", agent, {
    file_path: `src/f${++n}.ts`,
    diff: DIFF,
    agent_id: agentId,
    ...extra,
  }).then((r) => r.row);

beforeAll(async () => {
  database = await setupTestDatabase();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop(100);
  for (const r of receivers.splice(0)) await r.close();
  const db = (await getDatabase()).db;
  await db.execute(sql`DELETE FROM webhooks`);
  await db.execute(sql`DELETE FROM outbox_deliveries`);
  await db.execute(sql`DELETE FROM escalation_settings`);
});
afterAll(() => teardownTestDatabase(database));

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("the outbox", () => {
  test("created and decided events are written with the request, once each", async () => {
    const row = await submitApproval();
    // an identical retry creates nothing new
    const db = (await getDatabase()).db;
    await decide("approval", reviewer, row.id, { approved: true, comment: "fine" });
    const events = await db.select().from(outboxEvents).where(eq(outboxEvents.requestId, row.id));
    expect(events.map((e) => e.type).sort()).toEqual(["request.created", "request.decided"]);
    const decided = events.find((e) => e.type === "request.decided")!;
    expect(decided.payload).toMatchObject({
      id: row.id,
      kind: "approval",
      status: "approved",
      path: `/approvals/${row.id}`,
      summary: { file_path: row.filePath },
      decision: { by: "rev@example.com", text: "fine" },
    });
    // a second decision fails and writes no second event
    await expect(decide("approval", reviewer, row.id, { approved: false })).rejects.toThrow();
    expect(
      (await db.select().from(outboxEvents).where(eq(outboxEvents.requestId, row.id))).length,
    ).toBe(2);
  });

  test("questions too: every kind goes through the one store", async () => {
    const { row } = await submit("question", agent, { question: "Ship it?", agent_id: "agent-q" });
    const db = (await getDatabase()).db;
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.requestId, row.id));
    expect(event).toMatchObject({ type: "request.created", requestType: "question" });
    expect(event!.payload).toMatchObject({ summary: { question: "Ship it?" }, status: "pending" });
  });

  test("a webhook gets only the events, agent and kind it subscribed to", async () => {
    const all = await hook("http://127.0.0.1:9/all", ["request.created", "request.decided"]);
    const onlyB = await hook("http://127.0.0.1:9/b", ["request.created"], { agentId: "agent-b" });
    const onlyQ = await hook("http://127.0.0.1:9/q", ["request.created"], { kind: "question" });
    const row = await submitApproval("agent-b");
    const db = (await getDatabase()).db;
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.requestId, row.id));
    const targets = (await webhookTargets(db, [event!]))[0]!;
    expect(targets.sort()).toEqual([all.id, onlyB.id].sort());
    expect(targets).not.toContain(onlyQ.id);
  });
});

describe("delivery", () => {
  test("a receiver gets a correctly signed request.created within 1 s of a submit", async () => {
    const r = await receiver();
    const h = await hook(`${r.url}/hook`);
    worker();
    await new Promise((res) => setTimeout(res, 200)); // the worker's first cycle and LISTEN
    const started = Date.now();
    const row = await submitApproval("agent-sig");
    const [got] = await r.waitFor(1, 5000);
    console.log(`request.created arrived ${got!.at - started} ms after the submit began`);
    expect(got!.at - started).toBeLessThan(1000);
    const payload = new Webhook(h.secret).verify(
      got!.body,
      got!.headers as Record<string, string>,
    ) as {
      type: string;
      data: { id: string; url: string; kind: string };
    };
    expect(payload.type).toBe("request.created");
    expect(payload.data.id).toBe(row.id);
    expect(payload.data.url).toBe(`https://nexus.example/approvals/${row.id}`);
    expect(got!.headers["webhook-id"]).toMatch(/^msg_/);
    // a wrong secret does not verify
    expect(() =>
      new Webhook(newWebhookSecret()).verify(got!.body, got!.headers as Record<string, string>),
    ).toThrow();
  });

  test("a burst of requests is fanned out together, and every event still arrives once", async () => {
    const r = await receiver();
    await hook(`${r.url}/hook`);
    worker({ coalesceMs: 1500 });
    await new Promise((res) => setTimeout(res, 200)); // the worker's first cycle and LISTEN
    // one after another, 10 ms apart: each NOTIFY would start a dispatch of its own
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push((await submitApproval("burst")).id);
      await new Promise((res) => setTimeout(res, 10));
    }
    const got = await r.waitFor(8, 8000);
    expect(new Set(got.map((g) => JSON.parse(g.body).data.id))).toEqual(new Set(ids));
    // one dispatch transaction (its now() is every event's dispatched_at), not one per request
    const [counted] = await rows<{ n: number }>(
      (await getDatabase()).db,
      sql`SELECT count(DISTINCT dispatched_at)::int AS n FROM outbox_events WHERE agent_id = 'burst'`,
    );
    expect(Number(counted!.n)).toBe(1);
  });

  test("receiver down, Nexus restarted meanwhile: every event arrives once the receiver is back, none twice", async () => {
    const r = await receiver();
    await hook(`${r.url}/hook`, ["request.created", "request.decided"]);
    await r.down();
    const w1 = worker();
    const rows = [];
    for (let i = 0; i < 3; i++) rows.push(await submitApproval("agent-down"));
    await decide("approval", reviewer, rows[0]!.id, { approved: true });
    // attempts fail (connection refused) while it is down
    const db = (await getDatabase()).db;
    await until(async () => {
      const d = await db.select().from(outboxDeliveries);
      return d.length === 4 && d.every((x) => x.attempts >= 1 && x.leaseUntil === null);
    });
    // restart: stop the worker, close the database, open it again, new worker
    await w1.stop();
    workers.splice(workers.indexOf(w1), 1);
    const config = database.config;
    await closeDatabase();
    database = await getDatabase();
    expect(database.config).toEqual(config);
    await r.up();
    worker();
    const got = await r.waitFor(4, 10_000);
    await new Promise((res) => setTimeout(res, 500)); // nothing more comes
    const ids = r.received.map((x) => x.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(4);
    expect(ids.length).toBe(4);
    const types = got.map((x) => JSON.parse(x.body).type).sort();
    expect(types).toEqual([
      "request.created",
      "request.created",
      "request.created",
      "request.decided",
    ]);
    const rowsNow = await (await getDatabase()).db.select().from(outboxDeliveries);
    expect(rowsNow.every((d) => d.status === "delivered")).toBe(true);
  });

  test("a hanging receiver is cut off by the timeout without holding up other deliveries", async () => {
    const hanging = await receiver(() => "hang");
    const fine = await receiver();
    const hh = await hook(`${hanging.url}/hang`);
    await hook(`${fine.url}/ok`);
    worker({ timeoutMs: 1500, backoffBaseMs: 60_000, concurrency: 4, perTarget: 2 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await submitApproval("agent-hang");
    await fine.waitFor(5, 5000);
    // not behind the hanging one, though it has more deliveries than there are slots
    expect(Date.now() - started).toBeLessThan(1500);
    expect(hanging.received.length).toBe(2); // at most perTarget of its deliveries at once
    await hanging.waitFor(3, 5000); // the next ones once the first are cut off
    const timedOut = async () => (await recentDeliveries(hh.id)).find((x) => x.lastError);
    await until(async () => !!(await timedOut()));
    const d = await timedOut();
    expect(d!.status).toBe("pending");
    expect(d!.lastError).toMatch(/timed out/);
    expect(d!.lastLatencyMs).toBeGreaterThanOrEqual(1400);
    expect(d!.lastLatencyMs).toBeLessThan(4000);
  });

  test("failed attempts are retried with exponential backoff", async () => {
    const r = await receiver((got) => (r.received.indexOf(got) < 4 ? 500 : 204));
    const h = await hook(`${r.url}/flaky`);
    worker({ backoffBaseMs: 200, backoffMaxMs: 10_000 });
    await submitApproval("agent-retry");
    const got = await r.waitFor(5, 15_000);
    const gaps = got.slice(1).map((x, i) => x.at - got[i]!.at);
    // 200, 400, 800, 1600 ms ±25%: each gap longer than the one before
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(140);
    await until(async () => (await recentDeliveries(h.id))[0]?.status === "delivered");
    const [d] = await recentDeliveries(h.id);
    expect(d!.attempts).toBe(5);
    expect(d!.lastStatusCode).toBe(204);
    expect(new Set(got.map((x) => x.headers["webhook-id"])).size).toBe(1); // same id each try
  });

  test("a webhook failing for longer than the horizon is disabled, with the reason", async () => {
    const r = await receiver(() => 500);
    const h = await hook(`${r.url}/broken`);
    worker({ backoffBaseMs: 100, backoffMaxMs: 200, disableAfterMs: 700, giveUpAfterMs: 60_000 });
    await submitApproval("agent-broken");
    await until(async () => !!(await getWebhook(h.id))?.disabledAt, 10_000);
    const row = (await getWebhook(h.id))!;
    expect(row.disabledReason).toMatch(/failed since .* HTTP 500/);
    await until(async () => (await recentDeliveries(h.id))[0]?.status === "failed");
    const backlog = await webhookBacklog();
    expect(backlog.webhooks.disabled).toBe(1);
    expect(backlog.unhealthy[0]).toMatchObject({ id: h.id });
    // no new deliveries for a disabled webhook
    const before = r.received.length;
    await submitApproval("agent-broken");
    await new Promise((res) => setTimeout(res, 400));
    expect(r.received.length).toBe(before);
  });

  test("deliveries give up after their horizon", async () => {
    const r = await receiver(() => 503);
    const h = await hook(`${r.url}/gone`);
    worker({ backoffBaseMs: 100, backoffMaxMs: 200, giveUpAfterMs: 500 });
    await submitApproval("agent-giveup");
    await until(async () => (await recentDeliveries(h.id))[0]?.status === "failed", 10_000);
    const attempts = r.received.length;
    await new Promise((res) => setTimeout(res, 400));
    expect(r.received.length).toBe(attempts);
    expect((await webhookBacklog()).failedLastDay).toBeGreaterThanOrEqual(1);
  });

  test("Redeliver sends a delivered event again with the same webhook-id", async () => {
    const r = await receiver();
    const h = await hook(`${r.url}/again`);
    worker();
    await submitApproval("agent-again");
    await r.waitFor(1);
    await until(async () => (await recentDeliveries(h.id))[0]?.status === "delivered");
    const [d] = await recentDeliveries(h.id);
    expect(await redeliver(d!.id, 60_000)).toBe(true);
    const got = await r.waitFor(2);
    expect(got[1]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
  });
});

describe("expiry and escalation", () => {
  test("an expired request fires request.expired once", async () => {
    const r = await receiver();
    await hook(`${r.url}/exp`, ["request.expired"]);
    const row = await submitApproval("agent-exp", { expires_in_s: 60 });
    const db = (await getDatabase()).db;
    await db
      .update(approvalRequests)
      .set({ expiresAt: sql`(now() AT TIME ZONE 'UTC') - interval '1 second'` })
      .where(eq(approvalRequests.id, row.id));
    // two sweeps (as two processes would) write one event
    const [a, b] = await Promise.all([sweepTimedEvents(), sweepTimedEvents()]);
    expect(a + b).toBe(1);
    expect(await sweepTimedEvents()).toBe(0);
    worker();
    const [got] = await r.waitFor(1);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({
      type: "request.expired",
      data: { id: row.id, status: "expired" },
    });
  });

  test("a request pending past the threshold escalates once; an agent's override wins", async () => {
    const r = await receiver();
    await hook(`${r.url}/esc`, ["request.escalated"]);
    await setEscalation(null, 30, "test");
    await setEscalation("agent-patient", 0, "test"); // never for this agent
    const late = await submitApproval("agent-esc");
    const patient = await submitApproval("agent-patient");
    const fresh = await submit("question", agent, { question: "Now?", agent_id: "agent-esc" });
    const db = (await getDatabase()).db;
    const ago = sql`(now() AT TIME ZONE 'UTC') - interval '31 minutes'`;
    await db
      .update(approvalRequests)
      .set({ createdAt: ago })
      .where(sql`${approvalRequests.id} IN (${late.id}, ${patient.id})`);
    void fresh;
    void questionRequests;
    expect(await sweepTimedEvents()).toBe(1);
    expect(await sweepTimedEvents()).toBe(0);
    worker();
    const [got] = await r.waitFor(1);
    expect(JSON.parse(got!.body)).toMatchObject({
      type: "request.escalated",
      data: { id: late.id, escalated_after_minutes: 30 },
    });
    // the inbox marks it; the metrics count it
    const pending = await listPending();
    expect(pending.find((i) => i.id === late.id)?.escalated).toBe(true);
    expect(pending.find((i) => i.id === patient.id)?.escalated).toBe(false);
    expect(await countEscalations(null, null, null)).toBe(1);
    expect(await countEscalations(null, null, "question")).toBe(0);
    // deciding it later does not escalate it again
    await decide("approval", reviewer, late.id, { approved: true });
    expect(await sweepTimedEvents()).toBe(0);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received.length).toBe(1);
  });
});

test("dispatch is idempotent: an event fans out once however often it is dispatched", async () => {
  const r = await receiver();
  await hook(`${r.url}/x`);
  await submitApproval("agent-x");
  const results = await Promise.all([
    dispatchEvents({ webhook: webhookTargets }, 60_000),
    dispatchEvents({ webhook: webhookTargets }, 60_000),
  ]);
  expect(results.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  const db = (await getDatabase()).db;
  expect((await db.select().from(outboxDeliveries)).length).toBe(1);
});
