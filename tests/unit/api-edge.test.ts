import { describe, expect, test } from "vitest";
import { z } from "zod";
import { isJsonContentType, parseJsonObject, readBodyBytes } from "@/server/api/body";
import { ApiError, errorResponse } from "@/server/api/errors";
import {
  CreateApprovalInput,
  CreateQuestionInput,
  MAX_CONTEXT_DEPTH,
  MAX_EXPIRES_IN_S,
} from "@/lib/api/schemas";

/* The API's edge: content types, streamed size limit, UTF-8/JSON, schemas, error mapping. */

const MiB = 1024 * 1024;

describe("reading a request body", () => {
  test("accepts application/json (UTF-8 charset or none) and +json types only", () => {
    for (const ok of [
      "application/json",
      "Application/JSON; charset=UTF-8",
      'application/json; charset="utf-8"',
      "application/merge-patch+json",
    ])
      expect(isJsonContentType(ok), ok).toBe(true);
    for (const bad of [
      null,
      "",
      "text/plain",
      "application/jsonx",
      "application/json; charset=latin1",
      "multipart/form-data",
    ])
      expect(isJsonContentType(bad), String(bad)).toBe(false);
  });

  test("a declared Content-Length over the limit is refused before reading anything", async () => {
    let pulled = 0;
    const body = new ReadableStream({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(10));
      },
    });
    const req = new Request("http://x/", {
      method: "POST",
      body,
      headers: { "content-length": String(10 * MiB) },
      duplex: "half",
    } as RequestInit);
    await expect(readBodyBytes(req, MiB)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulled).toBeLessThanOrEqual(1); // a stream may pre-pull once; never read through
  });

  test("an endless body without Content-Length is cut off just past the limit and cancelled", async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(256 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const req = new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readBodyBytes(req, MiB)).rejects.toBeInstanceOf(ApiError);
    expect(pulled).toBeLessThanOrEqual(7);
    expect(cancelled).toBe(true);
  });

  test("a body at the limit is read whole", async () => {
    const req = new Request("http://x/", { method: "POST", body: new Uint8Array(MiB) });
    expect((await readBodyBytes(req, MiB)).byteLength).toBe(MiB);
  });

  test("invalid UTF-8, broken JSON, empty and non-object bodies are 400 invalid_request", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const bad = [
      new Uint8Array([0x7b, 0xff, 0x7d]),
      new Uint8Array([0xed, 0xa0, 0x80]), // an encoded surrogate is not UTF-8
      enc(""),
      enc("{"),
      enc("[]"),
      enc("null"),
      enc('"s"'),
    ];
    for (const bytes of bad) {
      expect(() => parseJsonObject(bytes)).toThrow(ApiError);
      try {
        parseJsonObject(bytes);
      } catch (err) {
        expect((err as ApiError).status).toBe(400);
      }
    }
    expect(parseJsonObject(enc('\ufeff{"a":1}'))).toEqual({ a: 1 });
  });
});

describe("request schemas", () => {
  const approval = { file_path: "f", diff: "d", agent_id: "a" };

  test("NUL and unpaired surrogates are rejected anywhere, including nested context keys", () => {
    expect(CreateApprovalInput.safeParse({ ...approval, file_path: "a\u0000" }).success).toBe(
      false,
    );
    expect(CreateApprovalInput.safeParse({ ...approval, description: "\udc00" }).success).toBe(
      false,
    );
    const q = { question: "q", agent_id: "a" };
    expect(
      CreateQuestionInput.safeParse({ ...q, context: { a: [{ b: "x\u0000" }] } }).success,
    ).toBe(false);
    expect(CreateQuestionInput.safeParse({ ...q, context: { a: { "k\u0000": 1 } } }).success).toBe(
      false,
    );
    expect(CreateQuestionInput.safeParse({ ...q, context: { a: "😀 ünïcödé" } }).success).toBe(
      true,
    );
  });

  test(`context nests at most ${MAX_CONTEXT_DEPTH} levels`, () => {
    const nest = (n: number) => {
      let v: unknown = 1;
      for (let i = 1; i < n; i++) v = [v];
      return { a: v };
    };
    const q = { question: "q", agent_id: "a" };
    expect(
      CreateQuestionInput.safeParse({ ...q, context: nest(MAX_CONTEXT_DEPTH - 1) }).success,
    ).toBe(true);
    expect(
      CreateQuestionInput.safeParse({ ...q, context: nest(MAX_CONTEXT_DEPTH + 1) }).success,
    ).toBe(false);
  });

  test("expires_in_s: positive integer up to 30 days; ids are lower-cased", () => {
    const ok = (v: unknown) =>
      CreateApprovalInput.safeParse({ ...approval, expires_in_s: v }).success;
    expect(ok(1)).toBe(true);
    expect(ok(MAX_EXPIRES_IN_S)).toBe(true);
    for (const v of [0, -1, 1.5, MAX_EXPIRES_IN_S + 1, "10", null, Number.NaN])
      expect(ok(v), String(v)).toBe(false);
    const id = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE";
    expect(CreateApprovalInput.parse({ ...approval, id }).id).toBe(id.toLowerCase());
  });

  test("timestamp needs an offset and a year from 1970 to 9999", () => {
    const ok = (v: string) => CreateApprovalInput.safeParse({ ...approval, timestamp: v }).success;
    expect(ok("2026-03-01T12:00:00Z")).toBe(true);
    expect(ok("2026-03-01T12:00:00.123456+05:30")).toBe(true);
    for (const v of [
      "2026-03-01T12:00:00",
      "2026-03-01",
      "1969-12-31T23:59:59Z",
      "2026-13-01T00:00:00Z",
      "now",
    ])
      expect(ok(v), v).toBe(false);
  });
});

describe("error mapping", () => {
  const read = async (r: Response) => ({ status: r.status, body: await r.json() });

  test("each ApiError code gets its status and the docs/api.md error JSON", async () => {
    const cases = [
      ["invalid_request", 400],
      ["unauthorized", 401],
      ["forbidden", 403],
      ["not_found", 404],
      ["conflict", 409],
      ["payload_too_large", 413],
      ["unsupported_media_type", 415],
      ["service_unavailable", 503],
    ] as const;
    for (const [code, status] of cases) {
      const r = await read(errorResponse(new ApiError(code, "m", [{ path: "p", message: "x" }])));
      expect(r).toEqual({
        status,
        body: { error: { code, message: "m", details: [{ path: "p", message: "x" }] } },
      });
    }
  });

  test("zod errors become 400 with details by path", async () => {
    const err = z
      .strictObject({ a: z.object({ b: z.string() }) })
      .safeParse({ a: { b: 1 }, c: 1 }).error!;
    const r = await read(errorResponse(err));
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["a.b", "c"]);
  });

  test("an unreachable database is 503 with Retry-After; anything else is a 500 without a stack", async () => {
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      code: "ECONNREFUSED",
    });
    const r = errorResponse(down);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("2");
    expect((await r.json()).error.code).toBe("service_unavailable");
    const wrapped = errorResponse(new Error("query failed", { cause: { code: "57P01" } }));
    expect(wrapped.status).toBe(503);
    const bug = errorResponse(new TypeError("x is undefined"));
    const text = await bug.text();
    expect(bug.status).toBe(500);
    expect(text).not.toMatch(/TypeError|at |\.ts/);
  });
});
