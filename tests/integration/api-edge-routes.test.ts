import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { loggerOptions } from "@/lib/log";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * The HTTP edge: every route handler under app/api (found on disk, so a new route is
 * covered without editing this file) and the history export answers through the one
 * wrapper: an X-Request-Id header and exactly one log line with request id, method,
 * route, status, duration and the principal — never the key or the query string.
 */

const ROOT = path.resolve(__dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

/** app/api/v1/approvals/[id]/route.ts → /api/v1/approvals/<uuid> */
function urlPath(file: string): string {
  const rel = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  return (
    "/" +
    rel
      .map((seg) =>
        seg === "[id]"
          ? "0b8e7f0e-8d1c-4d58-9a57-1c1c7b3c9f10"
          : seg.startsWith("[...")
            ? "get-session"
            : seg,
      )
      .join("/")
  );
}

let database: Database;
let key: string;
let lines: Record<string, unknown>[];
const g = globalThis as unknown as { __nexusLog?: pino.Logger };
let saved: pino.Logger | undefined;

beforeAll(async () => {
  database = await setupTestDatabase();
  key = (await createApiKey({ name: "edge-reader", role: "reviewer" })).key;
});
afterAll(async () => {
  await teardownTestDatabase(database);
});
beforeEach(() => {
  lines = [];
  saved = g.__nexusLog;
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  g.__nexusLog = pino(loggerOptions("debug"), sink);
});
afterEach(() => {
  g.__nexusLog = saved;
});

const files = [
  ...routeFiles(path.join(ROOT, "app/api")),
  path.join(ROOT, "app/history/export/route.ts"),
];

describe("every route goes through the HTTP edge", () => {
  test("the route list is found on disk", () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });

  for (const file of files) {
    const where = path.relative(ROOT, file);
    test(`${where}: X-Request-Id and one log line per request, for every method`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const route = urlPath(file);
      const methods = METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length, where).toBeGreaterThan(0);
      for (const method of methods) {
        lines = [];
        const abort = new AbortController();
        const request = new Request(`http://localhost:3000${route}?secret_query=leak`, {
          method,
          signal: abort.signal,
          headers: {
            authorization: `Bearer ${key}`,
            "x-request-id": `edge-${method}`,
            ...(method === "GET" ? {} : { "content-type": "application/json" }),
          },
          ...(method === "GET" ? {} : { body: "{}" }),
        });
        const handler = mod[method] as (r: Request, c: unknown) => Promise<Response>;
        const res = await handler(request, {
          params: Promise.resolve({
            id: "0b8e7f0e-8d1c-4d58-9a57-1c1c7b3c9f10",
            path: ["x"],
            all: ["get-session"],
          }),
        });
        abort.abort(); // ends an event stream
        await res.body?.cancel().catch(() => {});
        expect(res.headers.get("x-request-id"), `${method} ${where}`).toBe(`edge-${method}`);
        const entries = lines.filter((l) => l.msg === "request");
        expect(entries, `${method} ${where}`).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          reqId: `edge-${method}`,
          method,
          route,
          status: res.status,
        });
        expect(typeof entries[0]!.durationMs).toBe("number");
        const text = JSON.stringify(lines);
        expect(text).not.toContain(key);
        expect(text).not.toContain("secret_query");
      }
    });
  }

  test("an authorized /api/v1 request names its principal (kind and name) in the log", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const res = await GET(
      new Request("http://localhost:3000/api/v1/me", {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    expect(res.status).toBe(200);
    const entry = lines.find((l) => l.msg === "request");
    expect(entry).toMatchObject({
      route: "/api/v1/me",
      status: 200,
      principal: { kind: "key", name: "edge-reader" },
    });
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  test("metrics and me answer with the shared error JSON (bad filter, no key)", async () => {
    const { GET: metrics } = await import("@/app/api/v1/metrics/route");
    const bad = await metrics(
      new Request("http://localhost:3000/api/v1/metrics?period=forever", {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "period" }],
    });
    const { GET: me } = await import("@/app/api/v1/me/route");
    const anon = await me(new Request("http://localhost:3000/api/v1/me"));
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(anon.headers.get("x-request-id")).toBeTruthy();
  });
});
