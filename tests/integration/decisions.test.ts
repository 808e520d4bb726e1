import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { EVENTS_CHANNEL } from "@/db/events";
import { decideRequest } from "@/db/queries/request-store";
import { approvalRequests, hitlMetrics, questionRequests } from "@/db/schema";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/** The store's decision for an approval, in the shape these tests were written for. */
const decideApproval = (i: {
  id: string;
  approved: boolean;
  comment?: string | null;
  decidedBy: string;
}) =>
  decideRequest("approval", {
    id: i.id,
    decision: { approved: i.approved, comment: i.comment ?? null },
    decidedBy: i.decidedBy,
  });
const respondToQuestion = (i: { id: string; response: string; respondedBy: string }) =>
  decideRequest("question", {
    id: i.id,
    decision: { response: i.response },
    decidedBy: i.respondedBy,
  });

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const DIFF = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

async function newApproval(extra: Partial<typeof approvalRequests.$inferInsert> = {}) {
  const id = randomUUID();
  await database.db
    .insert(approvalRequests)
    .values({ id, filePath: "x", diff: DIFF, agentId: "agent-1", ...extra });
  return id;
}

async function metricsFor(id: string) {
  return database.db
    .select()
    .from(hitlMetrics)
    .where(sql`${hitlMetrics.requestId} = ${id}`);
}

describe(`recording a decision (${testDbKind})`, () => {
  test("approving sets approved/approved_at and writes one metrics row with the response time and reviewer", async () => {
    const id = await newApproval({ timestamp: new Date(Date.now() - 90_000) });
    const result = await decideApproval({
      id,
      approved: true,
      comment: "looks right", // trimming is the schema's job (tests/integration/doors.test.ts)
      decidedBy: "ana@example.com",
    });
    expect(result.ok).toBe(true);
    expect(result.row).toMatchObject({
      approved: true,
      comment: "looks right",
      decidedBy: "ana@example.com",
    });
    expect(result.row!.approvedAt).toBeInstanceOf(Date);
    const [m] = await metricsFor(id);
    expect(m).toMatchObject({ requestType: "approval", userId: "ana@example.com" });
    expect(m!.responseTimeMs).toBeGreaterThanOrEqual(89_000);
    expect(m!.responseTimeMs).toBeLessThan(120_000);
    const [exact] = await rows<{ ms: number }>(
      database.db,
      sql`SELECT (EXTRACT(EPOCH FROM (approved_at - timestamp)) * 1000)::float8 AS ms FROM approval_requests WHERE id = ${id}`,
    );
    expect(Math.abs(m!.responseTimeMs! - exact!.ms)).toBeLessThanOrEqual(1);
  });

  test("a request stamped in the future records 0 ms, never a negative time", async () => {
    const id = await newApproval({ timestamp: new Date(Date.now() + 3_600_000) });
    await decideApproval({ id, approved: false, comment: "no", decidedBy: "ana@example.com" });
    const [m] = await metricsFor(id);
    expect(m!.responseTimeMs).toBe(0);
  });

  test("20 concurrent deciders: exactly one decision and one metrics row; the others learn who won", async () => {
    const id = await newApproval();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        decideApproval({ id, approved: i % 2 === 0, decidedBy: `r${i}@example.com` }),
      ),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => !r.ok);
    expect(
      losers.every(
        (r) =>
          !r.ok &&
          r.reason === "already_decided" &&
          r.row?.decidedBy === winners[0]!.row!.decidedBy,
      ),
    ).toBe(true);
    expect(await metricsFor(id)).toHaveLength(1);
  });

  test("deciding an expired request changes nothing", async () => {
    const id = await newApproval({ expiresAt: new Date(Date.now() - 1000) });
    const r = await decideApproval({ id, approved: true, decidedBy: "ana@example.com" });
    expect(r).toMatchObject({ ok: false, reason: "expired" });
    const [row] = await database.db
      .select()
      .from(approvalRequests)
      .where(sql`id = ${id}`);
    expect(row).toMatchObject({ approved: null, approvedAt: null, decidedBy: null });
    expect(await metricsFor(id)).toHaveLength(0);
  });

  test("deciding an unknown request reports not_found", async () => {
    expect(
      await decideApproval({ id: randomUUID(), approved: true, decidedBy: "x" }),
    ).toMatchObject({ ok: false, reason: "not_found" });
  });

  test("answering a question records the answer, the reviewer and one metrics row; a second answer changes nothing", async () => {
    const id = randomUUID();
    await database.db.insert(questionRequests).values({
      id,
      question: "Which?",
      context: { a: [1, { b: null }] },
      agentId: "architect-agent",
    });
    const first = await respondToQuestion({ id, response: "Redis", respondedBy: "bo@example.com" });
    expect(first.ok).toBe(true);
    const second = await respondToQuestion({
      id,
      response: "Postgres",
      respondedBy: "cy@example.com",
    });
    expect(second).toMatchObject({
      ok: false,
      reason: "already_decided",
      row: { response: "Redis", respondedBy: "bo@example.com" },
    });
    const m = await metricsFor(id);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ requestType: "question", userId: "bo@example.com" });
  });

  test("a decision NOTIFYs the events channel after commit", async () => {
    const id = await newApproval();
    const received: string[] = [];
    const unlisten = await database.listen(EVENTS_CHANNEL, (p) => received.push(p));
    try {
      await decideApproval({ id, approved: true, decidedBy: "ana@example.com" });
      for (let i = 0; i < 50 && received.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(received.map((p) => JSON.parse(p))).toContainEqual({
        type: "request.decided",
        request_type: "approval",
        id,
        agent_id: "agent-1",
      });
    } finally {
      await unlisten();
    }
  });
});
