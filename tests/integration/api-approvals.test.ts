import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIFF, request, type ApiResult } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import { validate } from "../helpers/json-schema";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/* The approval endpoints of docs/api.md over HTTP against a real `next start`. */

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
  // a tiny pool: long polls must not hold connections while they wait
  server = await startServer(3320, db, { NEXUS_DB_POOL_MAX: "2" });
  doc = (await request(server, "GET", "/api/v1/openapi.json", { key: agent })).body;
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

/** The body conforms to the OpenAPI component `name` (generated from the zod schemas). */
function conforms(body: unknown, name: string) {
  expect(validate(body, doc.components.schemas[name], doc)).toEqual([]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectError(res: ApiResult<any>, status: number, code: string, paths?: string[]) {
  expect(res.status, res.text).toBe(status);
  conforms(res.body, "Error");
  expect(res.body.error.code).toBe(code);
  if (paths) {
    const got = (res.body.error.details ?? []).map((d: { path: string }) => d.path);
    for (const p of paths) expect(got).toContain(p);
  }
}

/** POST a chunked body of up to `total` bytes, stopping as soon as the server answers. */
function streamUntilAnswered(total: number) {
  return new Promise<{ status: number; code: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(`${server.url}/api/v1/approvals`, {
      method: "POST",
      headers: { Authorization: `Bearer ${agent}`, "Content-Type": "application/json" },
    });
    req.on("response", (res) => {
      answered = true;
      let text = "";
      const done = () => {
        let code = "";
        try {
          code = JSON.parse(text).error.code;
        } catch {
          /* cut off: see below */
        }
        resolve({ status: res.statusCode!, code, sent });
        req.destroy();
      };
      res.on("data", (d) => (text += d));
      res.on("end", done);
      // The answer says Connection: close and the server closes while this client is
      // still sending: the reset that follows may reach the socket before the body's end
      // is read (a race of the TCP stack, seen once in CI). The status has arrived.
      res.on("close", done);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

const body = (extra: Record<string, unknown> = {}) => ({
  file_path: "src/app.ts",
  diff: DIFF,
  description: "bump a",
  agent_id: "agent-approvals",
  ...extra,
});

const submit = (json: unknown, key: string | null = agent) =>
  request(server, "POST", "/api/v1/approvals", { key, json });

const decide = (id: string, json: unknown, key: string | null = reviewer) =>
  request(server, "POST", `/api/v1/approvals/${id}/decision`, { key, json });

describe(`approvals API over HTTP (${testDbKind})`, () => {
  test("POST creates: 201, Location, the docs/api.md shape with an absolute url; only GET by id has the diff", async () => {
    const res = await submit(body({ expires_in_s: 3600 }));
    expect(res.status).toBe(201);
    conforms(res.body, "Approval");
    const a = res.body;
    expect(res.headers.get("location")).toBe(`/api/v1/approvals/${a.id}`);
    expect(a).not.toHaveProperty("diff"); // docs/api.md: only GET /approvals/{id} returns it
    expect(a).toMatchObject({
      status: "pending",
      approved: null,
      file_path: "src/app.ts",
      description: "bump a",
      agent_id: "agent-approvals",
      comment: null,
      decided_by: null,
      url: `http://localhost:${server.port}/approvals/${a.id}`,
    });
    const expiresIn = Date.parse(a.expires_at) - Date.parse(a.created_at);
    expect(expiresIn).toBe(3_600_000);
    const got = await request(server, "GET", `/api/v1/approvals/${a.id}`, { key: agent });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...a, diff: DIFF, applied_diff: null }); // applied_diff: single GET only
  });

  test("answers to writes are not gzipped (a few hundred bytes, on the agent's path); reads are", async () => {
    const gzip = { "accept-encoding": "gzip" };
    const res = await request(server, "POST", "/api/v1/approvals", {
      key: agent,
      json: body(),
      headers: gzip,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    const bad = await request(server, "POST", "/api/v1/approvals", {
      key: agent,
      json: {},
      headers: gzip,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-encoding")).toBeNull();
    const got = await request(server, "GET", `/api/v1/approvals/${res.body.id}`, {
      key: agent,
      headers: gzip,
    });
    expect(got.headers.get("content-encoding")).toBe("gzip");
    expect(got.body.diff).toBe(DIFF);
  });

  test("the agent's timestamp is kept (any offset, returned in UTC)", async () => {
    const res = await submit(body({ timestamp: "2026-01-02T03:04:05.678+02:00" }));
    expect(res.status).toBe(201);
    expect(res.body.timestamp).toBe("2026-01-02T01:04:05.678Z");
  });

  test("same id + same content is a safe retry (200, nothing new); other content is 409", async () => {
    const id = randomUUID();
    const first = await submit(body({ id, expires_in_s: 60, timestamp: "2026-05-05T10:00:00Z" }));
    expect(first.status).toBe(201);
    const again = await submit(body({ id, expires_in_s: 60, timestamp: "2026-05-05T10:00:00Z" }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // upper-case id is the same uuid
    const upper = await submit(
      body({ id: id.toUpperCase(), expires_in_s: 60, timestamp: "2026-05-05T10:00:00Z" }),
    );
    expect(upper.status).toBe(200);
    for (const change of [
      { diff: DIFF + " \n" },
      { file_path: "src/other.ts" },
      { description: null },
      { agent_id: "someone-else" },
      { expires_in_s: 61 },
      { timestamp: "2026-05-05T10:00:01Z" },
    ]) {
      const res = await submit(
        body({ id, expires_in_s: 60, timestamp: "2026-05-05T10:00:00Z", ...change }),
      );
      expectError(res, 409, "conflict", ["id"]);
    }
    const list = await request(
      server,
      "GET",
      `/api/v1/approvals?agent_id=agent-approvals&limit=200`,
      {
        key: agent,
      },
    );
    expect(list.body.items.filter((a: { id: string }) => a.id === id)).toHaveLength(1);
  });

  test("15 identical POSTs racing create exactly one row: one 201, the rest 200", async () => {
    const id = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 15 }, () => submit(body({ id, agent_id: "racer" }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(14);
    const list = await request(server, "GET", "/api/v1/approvals?agent_id=racer", { key: agent });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
  });

  test("list: newest first, no diff, filters by status and agent_id, pages with an opaque cursor", async () => {
    const agentId = `lister-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit(body({ agent_id: agentId }))).body.id);
    await decide(ids[0]!, { approved: true });
    await decide(ids[1]!, { approved: false, comment: "no" });
    const all = await request(server, "GET", `/api/v1/approvals?agent_id=${agentId}`, {
      key: agent,
    });
    expect(all.status).toBe(200);
    conforms(all.body, "ApprovalList");
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual([...ids].reverse());
    expect(all.body.items.every((a: object) => !("diff" in a))).toBe(true);
    expect(all.body.next_cursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/approvals?agent_id=${agentId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await request(server, "GET", q, { key: agent });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const byStatus = async (status: string) =>
      (
        await request(server, "GET", `/api/v1/approvals?agent_id=${agentId}&status=${status}`, {
          key: agent,
        })
      ).body.items.map((a: { id: string }) => a.id);
    expect(await byStatus("approved")).toEqual([ids[0]]);
    expect(await byStatus("rejected")).toEqual([ids[1]]);
    expect(await byStatus("pending")).toEqual([ids[4], ids[3], ids[2]]);
    expect(await byStatus("expired")).toEqual([]);
  });

  test("a decision wakes a waiting long poll in under 100 ms", async () => {
    const { id } = (await submit(body())).body;
    const started = performance.now();
    const poll = request(server, "GET", `/api/v1/approvals/${id}?wait=30`, { key: agent }).then(
      (r) => ({ r, at: performance.now() }),
    );
    await new Promise((r) => setTimeout(r, 500)); // the poll is now waiting
    const dec = await decide(id, { approved: true, comment: "ship it" });
    const decidedAt = performance.now();
    expect(dec.status).toBe(200);
    const { r, at } = await poll;
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "approved",
      approved: true,
      comment: "ship it",
      decided_by: "key:reviewer",
    });
    expect(at - started).toBeGreaterThan(400); // it really waited
    const wakeMs = at - decidedAt;
    console.log(`long poll woken ${wakeMs.toFixed(1)} ms after the decision answered`);
    expect(wakeMs).toBeLessThan(100);
  });

  test("a long poll with no decision answers pending after the wait; wait=0 answers at once", async () => {
    const { id } = (await submit(body())).body;
    const t0 = performance.now();
    const r = await request(server, "GET", `/api/v1/approvals/${id}?wait=1`, { key: agent });
    const took = performance.now() - t0;
    expect(r.body.status).toBe("pending");
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(2500);
    const t1 = performance.now();
    expect(
      (await request(server, "GET", `/api/v1/approvals/${id}?wait=0`, { key: agent })).body.status,
    ).toBe("pending");
    expect(performance.now() - t1).toBeLessThan(500);
  });

  test("20 long polls wait on a pool of 2 connections without starving a decision", async () => {
    const { id } = (await submit(body())).body;
    const polls = Array.from({ length: 20 }, () =>
      request(server, "GET", `/api/v1/approvals/${id}?wait=20`, { key: agent }),
    );
    await new Promise((r) => setTimeout(r, 700));
    const t0 = performance.now();
    const other = await submit(body());
    expect(other.status).toBe(201);
    expect((await decide(id, { approved: false, comment: "no" })).status).toBe(200);
    const results = await Promise.all(polls);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(results.every((r) => r.body.status === "rejected")).toBe(true);
  });

  test("expiry: a waiter gets `expired` at expires_at, lists show it, deciding it is 409", async () => {
    const { id } = (await submit(body({ expires_in_s: 1, agent_id: "expiring" }))).body;
    const t0 = performance.now();
    const r = await request(server, "GET", `/api/v1/approvals/${id}?wait=10`, { key: agent });
    const took = performance.now() - t0;
    expect(r.body.status).toBe("expired");
    expect(took).toBeLessThan(2000);
    const dec = await decide(id, { approved: true });
    expectError(dec, 409, "conflict");
    expect(dec.body.error.current).toMatchObject({ id, status: "expired", approved: null });
    const expired = await request(
      server,
      "GET",
      "/api/v1/approvals?status=expired&agent_id=expiring",
      {
        key: agent,
      },
    );
    expect(expired.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    const pending = await request(
      server,
      "GET",
      "/api/v1/approvals?status=pending&agent_id=expiring",
      {
        key: agent,
      },
    );
    expect(pending.body.items).toEqual([]);
  });

  test("decisions: reviewer key only; the loser of a race gets 409 with the winning decision", async () => {
    const { id } = (await submit(body())).body;
    expectError(await decide(id, { approved: true }, agent), 403, "forbidden");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => decide(id, { approved: i % 2 === 0, comment: `r${i}` })),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    conforms(winners[0]!.body, "Approval");
    for (const loser of results.filter((r) => r.status !== 200)) {
      expectError(loser, 409, "conflict");
      expect(loser.body.error.current).toEqual(winners[0]!.body);
    }
    expectError(await decide(randomUUID(), { approved: true }), 404, "not_found");
    expectError(await decide("not-a-uuid", { approved: true }), 400, "invalid_request", ["id"]);
    const other = (await submit(body())).body.id;
    expectError(await decide(other, { approved: "yes" }), 400, "invalid_request", ["approved"]);
    expectError(await decide(other, { approved: true, extra: 1 }), 400, "invalid_request", [
      "extra",
    ]);
    expectError(
      await decide(other, { approved: true, comment: "a\u0000b" }),
      400,
      "invalid_request",
      ["comment"],
    );
  });

  describe("every error row of docs/api.md", () => {
    test("401 without a key, with an unknown key, with a malformed header", async () => {
      expectError(await submit(body(), null), 401, "unauthorized");
      expectError(await submit(body(), "nxs_not-a-real-key"), 401, "unauthorized");
      const r = await request(server, "GET", "/api/v1/approvals", {
        headers: { Authorization: "Basic abc" },
      });
      expectError(r, 401, "unauthorized");
      expect(r.headers.get("www-authenticate")).toBe("Bearer");
      expectError(
        await request(server, "GET", "/api/v1/approvals", { key: "nxs_wrong" }),
        401,
        "unauthorized",
      );
    });

    test("404 for an unknown id, 400 for an id that is not a uuid", async () => {
      expectError(
        await request(server, "GET", `/api/v1/approvals/${randomUUID()}`, { key: agent }),
        404,
        "not_found",
      );
      expectError(
        await request(server, "GET", `/api/v1/approvals/${randomUUID()}?wait=1`, { key: agent }),
        404,
        "not_found",
      );
      expectError(
        await request(server, "GET", "/api/v1/approvals/123", { key: agent }),
        400,
        "invalid_request",
        ["id"],
      );
    });

    test("400 with details by path for each malformed field", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ diff: undefined }, "diff"],
        [{ diff: "" }, "diff"],
        [{ diff: 42 }, "diff"],
        [{ file_path: "   " }, "file_path"],
        [{ id: "not-a-uuid" }, "id"],
        [{ agent_id: "" }, "agent_id"],
        [{ agent_id: "x".repeat(201) }, "agent_id"],
        [{ timestamp: "yesterday" }, "timestamp"],
        [{ timestamp: "2026-02-30T00:00:00Z" }, "timestamp"],
        [{ timestamp: "2026-01-01T00:00:00" }, "timestamp"],
        [{ expires_in_s: 0 }, "expires_in_s"],
        [{ expires_in_s: -5 }, "expires_in_s"],
        [{ expires_in_s: 1.5 }, "expires_in_s"],
        [{ expires_in_s: "60" }, "expires_in_s"],
        [{ expires_in_s: 10 ** 12 }, "expires_in_s"],
        [{ surprise: true }, "surprise"],
        [{ diff: "a\u0000b" }, "diff"],
        [{ description: "\ud800" }, "description"],
      ];
      for (const [change, path] of cases) {
        const res = await submit(body(change));
        expectError(res, 400, "invalid_request", [path]);
      }
      expect(await submit(body({ agent_id: "x".repeat(200) }))).toMatchObject({ status: 201 });
    });

    test("400 for a body that is not a JSON object, broken JSON, invalid UTF-8, or empty", async () => {
      for (const raw of ["[1,2]", "null", "42", '"text"', '{"diff": ', "{'a':1}", "", "  "]) {
        const res = await request(server, "POST", "/api/v1/approvals", {
          key: agent,
          body: raw,
          headers: { "Content-Type": "application/json" },
        });
        expectError(res, 400, "invalid_request");
      }
      const bad = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
      const res = await request(server, "POST", "/api/v1/approvals", {
        key: agent,
        body: bad,
        headers: { "Content-Type": "application/json" },
      });
      expectError(res, 400, "invalid_request");
      expect(res.body.error.message).toMatch(/UTF-8/);
    });

    test("400 for bad query parameters", async () => {
      const { id } = (await submit(body())).body;
      for (const q of ["wait=61", "wait=-1", "wait=abc"]) {
        expectError(
          await request(server, "GET", `/api/v1/approvals/${id}?${q}`, { key: agent }),
          400,
          "invalid_request",
          ["wait"],
        );
      }
      for (const [q, path] of [
        ["status=maybe", "status"],
        ["limit=0", "limit"],
        ["limit=201", "limit"],
        ["limit=1.5", "limit"],
        ["cursor=garbage", "cursor"],
        [`cursor=${Buffer.from('["2026-99-99 00:00:00","x"]').toString("base64url")}`, "cursor"],
        [
          `cursor=${Buffer.from(`["0000-01-01 00:00:00","${randomUUID()}"]`).toString("base64url")}`,
          "cursor",
        ],
      ]) {
        expectError(
          await request(server, "GET", `/api/v1/approvals?${q}`, { key: agent }),
          400,
          "invalid_request",
          [path!],
        );
      }
    });

    test("413 for a body over the limit, by Content-Length and while streaming", async () => {
      const big = "x".repeat(5 * 1024 * 1024 + 10);
      expectError(
        await request(server, "POST", "/api/v1/approvals", {
          key: agent,
          body: JSON.stringify(body({ diff: big })),
          headers: { "Content-Type": "application/json" },
        }),
        413,
        "payload_too_large",
      );
      // no Content-Length (chunked): the answer comes once the limit is passed, long
      // before the 32 MiB this client would send
      const { status, code, sent } = await streamUntilAnswered(32 * 1024 * 1024);
      expect(status).toBe(413);
      if (code) expect(code).toBe("payload_too_large");
      expect(sent).toBeLessThan(32 * 1024 * 1024);
    });

    test("unknown paths and methods answer with the error JSON too (404, 405)", async () => {
      expectError(
        await request(server, "GET", "/api/v1/aprovals", { key: agent }),
        404,
        "not_found",
      );
      const r = await request(server, "DELETE", "/api/v1/approvals", { key: agent });
      expectError(r, 405, "method_not_allowed");
      expect(r.headers.get("allow")).toBe("GET, POST");
    });

    test("415 for a body that is not JSON", async () => {
      for (const type of [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
      ]) {
        expectError(
          await request(server, "POST", "/api/v1/approvals", {
            key: agent,
            body: JSON.stringify(body()),
            headers: { "Content-Type": type },
          }),
          415,
          "unsupported_media_type",
        );
      }
      expectError(
        await request(server, "POST", "/api/v1/approvals", {
          key: agent,
          body: JSON.stringify(body()),
        }),
        415,
        "unsupported_media_type",
      );
      expect(
        (
          await request(server, "POST", "/api/v1/approvals", {
            key: agent,
            json: body(),
            headers: { "Content-Type": "application/json; charset=UTF-8" },
          })
        ).status,
      ).toBe(201);
    });
  });

  test("the OpenAPI document is OpenAPI 3.1 and lists every endpoint", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/approvals",
        "/api/v1/approvals/{id}",
        "/api/v1/approvals/{id}/decision",
        "/api/v1/questions",
        "/api/v1/questions/{id}",
        "/api/v1/questions/{id}/response",
        "/api/v1/events",
        "/api/health",
      ]),
    );
    // the request schema really is the one the server enforces
    const create = doc.components.schemas.ApprovalCreate;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(["file_path", "diff", "agent_id"]);
    expect(validate(body(), create, doc)).toEqual([]);
    expect(validate(body({ extra: 1 }), create, doc)).not.toEqual([]);
  });
});
