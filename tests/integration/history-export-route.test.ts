import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { GET } from "@/app/history/export/route";

// The route reads the signed-in person from the request's cookies, which only exist
// inside Next's request scope; here a signed-in viewer stands in for that lookup (the
// sign-in itself is covered end to end by e2e/access.spec.ts). The database is real.
vi.mock("@/server/auth/session", () => ({
  currentPrincipal: async () => ({
    kind: "user",
    id: "u1",
    email: "v@example.com",
    name: "Viewer",
    role: "viewer",
  }),
}));
import { rows, type Database } from "@/db/client";
import { approvalRequests, questionRequests } from "@/db/schema";
import { sql } from "drizzle-orm";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;

beforeAll(async () => {
  database = await setupTestDatabase();
  const t0 = Date.UTC(2026, 1, 1, 9);
  for (let i = 0; i < 1203; i++) {
    await database.db.insert(approvalRequests).values({
      id: randomUUID(),
      filePath: i % 100 === 0 ? `special/${i}.ts` : `src/${i}.ts`,
      diff: `--- a\n+++ b\n@@ -1 +1 @@\n-"${i}"\n+${i},${i}\n`,
      description: i % 7 ? `row ${i}` : null,
      agentId: "bulk",
      timestamp: new Date(t0 + i * 1000),
      approved: i % 2 === 0,
      approvedAt: new Date(t0 + i * 1000 + 500),
      decidedBy: "ana@example.com",
    });
  }
  await database.db.insert(questionRequests).values({
    id: randomUUID(),
    question: "Q?",
    context: { deep: [1, { x: null }] },
    agentId: "bulk",
    response: "A",
    responseAt: new Date(t0),
  });
});
afterAll(() => teardownTestDatabase(database));

const get = (query: string) => GET(new Request(`http://nexus.test/history/export?${query}`));

describe(`GET /history/export (${testDbKind})`, () => {
  test("streams every matching row as a CSV download (more rows than one batch)", async () => {
    const res = await get("type=approval&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="nexus-approvals-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const text = await res.text();
    const ids = [...text.matchAll(/^([0-9a-f-]{36}),/gm)].map((m) => m[1]);
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
  });

  test("JSON is json_agg(row_to_json(t)) of the filtered rows, newest first", async () => {
    const res = await get("type=approval&format=json&q=special%2F&outcome=approved");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await res.text();
    const [agg] = await rows<{ j: string }>(
      database.db,
      sql`SELECT json_agg(row_to_json(t) ORDER BY approved_at DESC, id DESC)::text AS j
          FROM (SELECT r.*, NULL::text AS submitted_by FROM approval_requests r) t
          WHERE approved AND file_path LIKE 'special/%'`,
    );
    expect(body).toBe(agg!.j);
    expect(JSON.parse(body)).toHaveLength(13); // 0, 100, … 1200: all even, so approved
  });

  test("questions export carries their own columns, context as JSON", async () => {
    const res = await get("outcome=answered&format=json");
    const [row] = JSON.parse(await res.text()) as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual([
      "id",
      "question",
      "context",
      "agent_id",
      "timestamp",
      "response",
      "response_at",
      "created_at",
      "responded_by",
      "expires_at",
      "submitted_key_id",
      "options",
      "multi_select",
      "allow_text",
      "selected",
      "required_approvals",
      "approval_count",
      "rule_name",
      "routed_to",
      "on_expiry",
      "escalate_after_s",
      "submitted_by",
    ]);
    expect(row!.context).toEqual({ deep: [1, { x: null }] });
  });

  test("nothing matching gives a header-only CSV and an empty JSON array", async () => {
    expect(await (await get("type=approval&format=csv&agent=nobody")).text()).toBe(
      "id,file_path,diff,description,agent_id,timestamp,approved,approved_at,created_at,comment,decided_by,expires_at,submitted_key_id,required_approvals,approval_count,rule_name,routed_to,on_expiry,escalate_after_s,hunk_decisions,applied_diff,edited,inline_comments,supersedes,revision,superseded_by,submitted_by\n",
    );
    expect(await (await get("type=question&format=json&agent=nobody")).text()).toBe("[]");
  });

  test("refuses a mixed-type export, an unknown format and bad filters with 400 JSON", async () => {
    for (const q of ["format=csv", "type=approval&format=xml", "type=approval&from=2026-02-31"]) {
      const res = await get(q);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_request");
    }
  });
});
