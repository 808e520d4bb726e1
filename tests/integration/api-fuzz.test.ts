import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIFF, request } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * Property-based: bodies of random shape never get a 5xx, and a rejected request never
 * leaves a row behind (rows created == number of 201 answers).
 */

let db: TestDatabase;
let server: TestServer;
let agent: string;
let reviewer: string;

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent", reviewer: "reviewer" });
  agent = db.keys.agent!;
  reviewer = db.keys.reviewer!;
  server = await startServer(3322, db);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

async function countAll(kind: "approvals" | "questions") {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { items: unknown[]; next_cursor: string | null } } = await request(
      server,
      "GET",
      `/api/v1/${kind}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { key: agent },
    );
    n += page.body.items.length;
    cursor = page.body.next_cursor;
  } while (cursor);
  return n;
}

/** Strings that stress storage: NUL, lone surrogates, emoji, long text. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff x", "💥", "'; DROP TABLE x; --", " "),
);
const anyValue = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
);
const approvalField = fc.constantFrom(
  "id",
  "file_path",
  "diff",
  "description",
  "agent_id",
  "timestamp",
  "expires_in_s",
  "extra",
);
const questionField = fc.constantFrom(
  "id",
  "question",
  "context",
  "agent_id",
  "timestamp",
  "expires_in_s",
  "extra",
);

/** A valid body with some fields replaced by random values or removed. */
const mutated = (base: Record<string, unknown>, field: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.dictionary(field, fc.option(anyValue, { nil: undefined }), { maxKeys: 3 }))
    .map(([changes]) => {
      const body: Record<string, unknown> = { ...base };
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) delete body[k];
        else body[k] = v;
      }
      return body;
    });

const randomBody = (base: Record<string, unknown>, field: fc.Arbitrary<string>) =>
  fc.oneof(
    mutated(base, field).map((b) => ({ raw: JSON.stringify(b) })),
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ raw: JSON.stringify(v) ?? "" })),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ raw: bytes })),
    fc.string().map((s) => ({ raw: s })),
  );

const OK = new Set([200, 201, 400, 409]);

describe(`random bodies (${testDbKind})`, () => {
  for (const kind of ["approvals", "questions"] as const) {
    test(`POST /api/v1/${kind}: never a 5xx, never a row from a rejected request`, async () => {
      const base =
        kind === "approvals"
          ? { file_path: "f.ts", diff: DIFF, agent_id: "fuzz" }
          : { question: "Q?", context: { a: 1 }, agent_id: "fuzz" };
      const before = await countAll(kind);
      let created = 0;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          randomBody(base, kind === "approvals" ? approvalField : questionField),
          async ({ raw }) => {
            const res = await request(server, "POST", `/api/v1/${kind}`, {
              key: agent,
              body: raw as BodyInit,
              headers: { "Content-Type": "application/json" },
            });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(OK.has(res.status), `${res.status} ${res.text}`).toBe(true);
            expect(res.body?.error?.code ?? "none").not.toBe("internal_error");
            if (res.status === 201) created++;
            if (res.status >= 400) expect(res.body.error.message).toBeTypeOf("string");
          },
        ),
        { numRuns: 150 },
      );
      expect(await countAll(kind)).toBe(before + created);
      console.log(`${kind}: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    }, 120_000);
  }

  test("random decision bodies and ids: never a 5xx", async () => {
    const { body } = await request(server, "POST", "/api/v1/approvals", {
      key: agent,
      json: { file_path: "f", diff: "d", agent_id: "fuzz-decide" },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(body.id as string), fc.uuid(), fc.string()),
        fc.oneof(
          fc.record({
            approved: fc.oneof(fc.boolean(), anyValue),
            comment: fc.option(nastyString),
          }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        async (id, decision) => {
          const res = await request(
            server,
            "POST",
            `/api/v1/approvals/${encodeURIComponent(id)}/decision`,
            {
              key: reviewer,
              body: JSON.stringify(decision) ?? "",
              headers: { "Content-Type": "application/json" },
            },
          );
          // an id such as "" or ".." changes the path: 404/405 from routing, still JSON
          expect([200, 400, 404, 405, 409], res.text).toContain(res.status);
          if (res.status >= 400) expect(res.body.error.code).toBeTypeOf("string");
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  test("random query strings on the read routes: never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/api/v1/approvals",
          "/api/v1/questions",
          `/api/v1/approvals/00000000-0000-0000-0000-000000000000`,
        ),
        fc.dictionary(
          fc.constantFrom("status", "agent_id", "limit", "cursor", "wait", "x"),
          nastyString,
          { maxKeys: 3 },
        ),
        async (path, query) => {
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          const res = await request(server, "GET", `${path}?${qs}`, { key: agent });
          expect([200, 400, 404]).toContain(res.status);
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);
});
