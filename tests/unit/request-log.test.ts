import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { inFlightRequests, requestIdFor, withRequestLog } from "@/server/request-log";
import { route } from "@/server/api/route";

let lines: Record<string, unknown>[];
const g = globalThis as unknown as { __nexusLog?: pino.Logger };
let saved: pino.Logger | undefined;

beforeEach(() => {
  lines = [];
  saved = g.__nexusLog;
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  g.__nexusLog = pino({ level: "debug" }, sink);
});
afterEach(() => {
  g.__nexusLog = saved;
});

const secretBody = JSON.stringify({ diff: "+secret diff line", response: "private answer" });

function req(headers: Record<string, string> = {}) {
  return new Request("http://nexus.test/api/v1/approvals?token=abc", {
    method: "POST",
    headers: { authorization: "Bearer nx_supersecret", ...headers },
    body: secretBody,
  });
}

describe("withRequestLog", () => {
  test("logs request id, method, route, status and duration, and nothing from the request", async () => {
    const handler = withRequestLog(async (r: Request) => {
      await r.text();
      return Response.json({ ok: true }, { status: 201 });
    });
    const res = await handler(req());
    expect(res.status).toBe(201);
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      reqId: id,
      method: "POST",
      route: "/api/v1/approvals",
      status: 201,
      msg: "request",
    });
    expect(typeof lines[0]!.durationMs).toBe("number");
    const text = JSON.stringify(lines);
    for (const secret of ["secret diff", "private answer", "nx_supersecret", "token=abc"])
      expect(text).not.toContain(secret);
  });

  test("keeps a sane incoming X-Request-Id and replaces anything else", () => {
    expect(requestIdFor(req({ "x-request-id": "lb-7f3a:01.2" }))).toBe("lb-7f3a:01.2");
    for (const bad of ["has space", "x".repeat(129), "<script>", "a\u00e9"])
      expect(requestIdFor(req({ "x-request-id": bad }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a throwing handler gives docs/api.md's JSON error, never a stack trace", async () => {
    const boom = withRequestLog(async () => {
      throw new Error("bug with secret detail");
    });
    const res = await boom(req({ "x-request-id": "r-1" }));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: "internal_error", message: "Internal error (request id r-1)." },
    });
    expect(lines.map((l) => l.msg)).toEqual(["request handler failed", "request"]);
  });

  test("a database connection error becomes 503 service_unavailable", async () => {
    const down = withRequestLog(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    });
    const res = await down(req());
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("service_unavailable");
  });

  test("quiet routes (health) log success at debug, failures still at warn", async () => {
    const ok = withRequestLog(async () => new Response("ok"), { quiet: true });
    await ok(req());
    expect(lines[0]!.level).toBe(20);
    const bad = withRequestLog(async () => new Response("no", { status: 503 }), { quiet: true });
    await bad(req());
    expect(lines[1]!.level).toBe(40);
  });

  test("immutable response headers (redirects) still get the request id", async () => {
    const redirect = withRequestLog(async () => Response.redirect("http://nexus.test/x", 302));
    const res = await redirect(req({ "x-request-id": "r-2" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("x-request-id")).toBe("r-2");
  });

  test("route() is the same edge: it counts requests in flight (shutdown reports them) and logs", async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const slow = route(async () => {
      await gate;
      return Response.json({ ok: true });
    });
    const before = inFlightRequests();
    const pending = slow(req({ "x-request-id": "r-3" }));
    expect(inFlightRequests()).toBe(before + 1);
    finish();
    const res = await pending;
    expect(inFlightRequests()).toBe(before);
    expect(res.headers.get("x-request-id")).toBe("r-3");
    expect(lines.filter((l) => l.msg === "request")).toHaveLength(1);
  });
});
