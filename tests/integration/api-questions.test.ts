import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NexusApiError, NexusClient } from "@/lib/client";
import { request, type ApiResult } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import { validate } from "../helpers/json-schema";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/* Questions, the event stream and the TypeScript client over HTTP against `next start`. */

let db: TestDatabase;
let server: TestServer;
let agent: string;
let reviewer: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent", reviewer: "reviewer" });
  agent = db.keys.agent!;
  reviewer = db.keys.reviewer!;
  server = await startServer(3321, db);
  doc = (await request(server, "GET", "/api/v1/openapi.json", { key: agent })).body;
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

function conforms(body: unknown, name: string) {
  expect(validate(body, doc.components.schemas[name], doc)).toEqual([]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectError(res: ApiResult<any>, status: number, code: string, paths?: string[]) {
  expect(res.status, res.text).toBe(status);
  conforms(res.body, "Error");
  expect(res.body.error.code).toBe(code);
  const got = (res.body.error.details ?? []).map((d: { path: string }) => d.path);
  for (const p of paths ?? []) expect(got).toContain(p);
}

const CONTEXT = { options: ["redis", "postgres"], limits: { ttl_s: 60, nested: [1, { a: null }] } };
const body = (extra: Record<string, unknown> = {}) => ({
  question: "Which cache should I use?",
  context: CONTEXT,
  agent_id: "architect-agent",
  ...extra,
});
const ask = (json: unknown, key: string | null = agent) =>
  request(server, "POST", "/api/v1/questions", { key, json });
const answer = (id: string, json: unknown, key: string | null = reviewer) =>
  request(server, "POST", `/api/v1/questions/${id}/response`, { key, json });

describe(`questions API over HTTP (${testDbKind})`, () => {
  test("POST creates (201, Location, context kept as a JSON object); GET returns it", async () => {
    const res = await ask(body({ expires_in_s: 600 }));
    expect(res.status).toBe(201);
    conforms(res.body, "Question");
    expect(res.headers.get("location")).toBe(`/api/v1/questions/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: "pending",
      question: "Which cache should I use?",
      context: CONTEXT,
      response: null,
      responded_by: null,
      url: `http://localhost:${server.port}/questions/${res.body.id}`,
    });
    const got = await request(server, "GET", `/api/v1/questions/${res.body.id}`, { key: agent });
    expect(got.body).toEqual(res.body);
  });

  test("idempotent retry: key order of context does not matter; other content is 409", async () => {
    const id = randomUUID();
    expect((await ask(body({ id }))).status).toBe(201);
    const reordered = {
      limits: { nested: [1, { a: null }], ttl_s: 60 },
      options: ["redis", "postgres"],
    };
    expect((await ask(body({ id, context: reordered }))).status).toBe(200);
    expectError(await ask(body({ id, context: { ...CONTEXT, extra: true } })), 409, "conflict", [
      "id",
    ]);
    expectError(await ask(body({ id, question: "Other?" })), 409, "conflict", ["id"]);
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => ask(body({ id: randomUUID(), agent_id: "q-racer" }))),
    );
    expect(racing.every((r) => r.status === 201)).toBe(true);
    const sameId = randomUUID();
    const same = await Promise.all(
      Array.from({ length: 8 }, () => ask(body({ id: sameId, agent_id: "q-racer2" }))),
    );
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    const list = await request(server, "GET", "/api/v1/questions?agent_id=q-racer2", {
      key: agent,
    });
    expect(list.body.items).toHaveLength(1);
  });

  test("validation: context must be a JSON object without NUL; question required; unknown fields", async () => {
    for (const [change, path] of [
      [{ context: [1, 2] }, "context"],
      [{ context: "text" }, "context"],
      [{ context: { a: "x\u0000y" } }, "context"],
      [{ context: { "k\u0000": 1 } }, "context"],
      [{ question: undefined }, "question"],
      [{ question: "" }, "question"],
      [{ agent_id: 7 }, "agent_id"],
      [{ expires_in_s: 30 * 24 * 3600 + 1 }, "expires_in_s"],
      [{ response: "no" }, "response"],
    ] as [Record<string, unknown>, string][]) {
      expectError(await ask(body(change)), 400, "invalid_request", [path]);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expectError(await ask(body({ context: { deep } })), 400, "invalid_request", ["context"]);
    expect((await ask(body({ context: undefined }))).body.context).toBeNull();
  });

  test("answer: reviewer only, once; waiter woken; list by status", async () => {
    const agentId = `answers-${randomUUID()}`;
    const { id } = (await ask(body({ agent_id: agentId }))).body;
    const other = (await ask(body({ agent_id: agentId }))).body.id;
    const poll = request(server, "GET", `/api/v1/questions/${id}?wait=20`, { key: agent });
    await new Promise((r) => setTimeout(r, 300));
    expectError(await answer(id, { response: "Redis" }, agent), 403, "forbidden");
    expectError(await answer(id, { response: "  " }), 400, "invalid_request", ["response"]);
    expectError(await answer(id, { response: 1 }), 400, "invalid_request", ["response"]);
    const ok = await answer(id, { response: "Redis, with a 60 s TTL" });
    expect(ok.status).toBe(200);
    conforms(ok.body, "Question");
    expect(ok.body).toMatchObject({
      status: "answered",
      response: "Redis, with a 60 s TTL",
      responded_by: "key:reviewer",
    });
    const woken = await poll;
    expect(woken.body).toEqual(ok.body);
    const second = await answer(id, { response: "Postgres" });
    expectError(second, 409, "conflict");
    expect(second.body.error.current).toEqual(ok.body);
    expectError(await answer(randomUUID(), { response: "x" }), 404, "not_found");
    const list = async (status: string) =>
      (
        await request(server, "GET", `/api/v1/questions?agent_id=${agentId}&status=${status}`, {
          key: agent,
        })
      ).body;
    const answered = await list("answered");
    conforms(answered, "QuestionList");
    expect(answered.items.map((q: { id: string }) => q.id)).toEqual([id]);
    expect((await list("pending")).items.map((q: { id: string }) => q.id)).toEqual([other]);
    expectError(
      await request(server, "GET", "/api/v1/questions?status=approved", { key: agent }),
      400,
      "invalid_request",
      ["status"],
    );
  });

  test("expiry: the waiter gets `expired`, answering is 409", async () => {
    const { id } = (await ask(body({ expires_in_s: 1 }))).body;
    const r = await request(server, "GET", `/api/v1/questions/${id}?wait=10`, { key: agent });
    expect(r.body.status).toBe("expired");
    const late = await answer(id, { response: "too late" });
    expectError(late, 409, "conflict");
    expect(late.body.error.current).toMatchObject({ id, status: "expired", response: null });
  });

  test("GET /api/v1/events streams request.created and request.decided as SSE", async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events`, {
      headers: { Authorization: `Bearer ${agent}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    const events: { event: string; data: unknown }[] = [];
    const until = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (events.length < n && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let i;
        while ((i = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const ev = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    };
    const long = `Which of these ${"caches ".repeat(60)}should I use?`;
    const created = (await ask(body({ agent_id: "sse-agent", question: long, expires_in_s: 600 })))
      .body;
    const id = created.id as string;
    await answer(id, { response: "ok" });
    await until(2);
    controller.abort();
    const mine = events.filter((e) => (e.data as { id: string }).id === id);
    expect(mine).toEqual([
      {
        event: "request.created",
        // what an inbox row shows rides along, the question cut to 300 characters
        data: {
          type: "request.created",
          request_type: "question",
          id,
          agent_id: "sse-agent",
          timestamp: created.timestamp,
          expires_at: created.expires_at,
          created_at: created.created_at,
          question: `${Array.from(long).slice(0, 299).join("")}…`,
          options: null,
        },
      },
      {
        event: "request.decided",
        data: { type: "request.decided", request_type: "question", id, agent_id: "sse-agent" },
      },
    ]);
    for (const e of mine) conforms(e.data, "Event");
    expectError(
      await request(server, "GET", "/api/v1/events", { key: "nxs_bad" }),
      401,
      "unauthorized",
    );
  });

  describe("the TypeScript client", () => {
    const client = () => new NexusClient({ baseUrl: server.url, apiKey: agent });
    const reviewerClient = () => new NexusClient({ baseUrl: server.url, apiKey: reviewer });

    test("requestApproval submits and waits until a reviewer decides", async () => {
      let submitted: string | null = null;
      const pending = client().requestApproval(
        { file_path: "a.ts", diff: "--- a\n+++ b\n", agent_id: "client-agent", description: "why" },
        { pollSeconds: 1, onSubmitted: (a) => (submitted = a.id) },
      );
      while (!submitted) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1300)); // at least one long poll came back pending
      await reviewerClient().decideApproval(submitted, { approved: false, comment: "add a test" });
      const result = await pending;
      expect(result).toMatchObject({ id: submitted, status: "rejected", comment: "add a test" });
    });

    test("askQuestion resolves with the answer; a lost decision race throws 409 with the winner", async () => {
      let id: string | null = null;
      const pending = client().askQuestion(
        { question: "Ship on Friday?", agent_id: "client-agent", context: { day: "fri" } },
        { onSubmitted: (q) => (id = q.id) },
      );
      while (!id) await new Promise((r) => setTimeout(r, 20));
      await reviewerClient().answerQuestion(id, "No");
      expect(await pending).toMatchObject({ status: "answered", response: "No" });
      const err = await reviewerClient()
        .answerQuestion(id, "Yes")
        .catch((e) => e);
      expect(err).toBeInstanceOf(NexusApiError);
      expect(err).toMatchObject({ status: 409, code: "conflict", current: { response: "No" } });
    });

    test("an AbortSignal stops the wait", async () => {
      const controller = new AbortController();
      const pending = client().requestApproval(
        { file_path: "a.ts", diff: "x", agent_id: "client-agent" },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 300);
      await expect(pending).rejects.toThrow();
    });

    test("network errors and 503 are retried with the same id: one request is created", async () => {
      let calls = 0;
      const flaky: typeof fetch = async (input, init) => {
        calls++;
        if (calls === 1) throw new TypeError("fetch failed (simulated)");
        if (calls === 2)
          return new Response(
            JSON.stringify({ error: { code: "service_unavailable", message: "x" } }),
            { status: 503 },
          );
        if (calls === 3) {
          await fetch(input, init); // the server creates it, but the answer is "lost"
          throw new TypeError("socket hang up (simulated)");
        }
        return fetch(input, init);
      };
      const c = new NexusClient({
        baseUrl: server.url,
        apiKey: agent,
        fetch: flaky,
        retryDelayMs: 10,
      });
      const created = await c.createApproval({
        file_path: "f",
        diff: "d",
        agent_id: "flaky-agent",
        id: randomUUID(),
      });
      expect(calls).toBe(4);
      const list = await client().listApprovals({ agent_id: "flaky-agent" });
      expect(list.items.map((a) => a.id)).toEqual([created.id]);
    });

    test("errors carry status, code and details", async () => {
      const err = await client()
        .createQuestion({ question: "", agent_id: "x" })
        .catch((e) => e);
      expect(err).toMatchObject({ status: 400, code: "invalid_request" });
      expect(err.details.map((d: { path: string }) => d.path)).toContain("question");
      const bad = new NexusClient({ baseUrl: server.url, apiKey: "nxs_nope" });
      await expect(bad.getQuestion(randomUUID())).rejects.toMatchObject({ status: 401 });
    });
  });

  // last: it stops the server
  test("on shutdown (SIGTERM) a waiting long poll answers at once with the current state", async () => {
    const { id } = (await ask(body({ agent_id: "shutdown" }))).body;
    const poll = request(server, "GET", `/api/v1/questions/${id}?wait=50`, { key: agent });
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    const stopped = server.stop();
    const r = await poll;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: "pending" });
    await stopped;
  });
});
