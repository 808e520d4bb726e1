import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { nextPending } from "@/db/queries/next-pending";
import { approvalRequests, hitlMetrics, questionRequests } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { decideFromForm } from "@/server/requests/forms";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

const submitApprovalDecision = (p: Principal, f: FormData) => decideFromForm("approval", p, f);
const submitAnswer = (p: Principal, f: FormData) => decideFromForm("question", p, f);

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const ana: Principal = {
  kind: "user",
  id: "u1",
  email: "ana@example.com",
  name: "Ana",
  role: "reviewer",
};
const bo: Principal = {
  kind: "user",
  id: "u2",
  email: "bo@example.com",
  name: "Bo",
  role: "reviewer",
};

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

async function newApproval(extra: Partial<typeof approvalRequests.$inferInsert> = {}) {
  const id = randomUUID();
  await database.db.insert(approvalRequests).values({
    id,
    filePath: "src/x.ts",
    diff: "--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-a\n+b\n",
    agentId: "agent-1",
    ...extra,
  });
  return id;
}

async function newQuestion(extra: Partial<typeof questionRequests.$inferInsert> = {}) {
  const id = randomUUID();
  await database.db
    .insert(questionRequests)
    .values({ id, question: "Which?", context: { a: 1 }, agentId: "agent-2", ...extra });
  return id;
}

const approval = async (id: string) =>
  (await database.db.select().from(approvalRequests).where(eq(approvalRequests.id, id)))[0]!;
const metrics = (id: string) =>
  database.db
    .select()
    .from(hitlMetrics)
    .where(sql`${hitlMetrics.requestId} = ${id}`);

describe(`approval form (${testDbKind})`, () => {
  test("rejecting without a comment is refused with a field error and changes nothing", async () => {
    const id = await newApproval();
    const result = await submitApprovalDecision(
      ana,
      form({ id, decision: "reject", comment: "  " }),
    );
    expect(result).toEqual({
      ok: false,
      state: {
        errors: { comment: expect.stringMatching(/comment is required to reject/i) },
        message: undefined,
      },
    });
    expect((await approval(id)).approved).toBeNull();
    expect(await metrics(id)).toHaveLength(0);
  });

  test("approving records the reviewer and one metrics row, then points at the oldest pending item", async () => {
    const oldest = await newQuestion({ timestamp: new Date("2001-01-01T00:00:00Z") });
    const id = await newApproval();
    const result = await submitApprovalDecision(
      ana,
      form({ id, decision: "approve", comment: "" }),
    );
    expect(result).toEqual({ ok: true, href: `/questions/${oldest}?done=approved` });
    expect(await approval(id)).toMatchObject({
      approved: true,
      comment: null,
      decidedBy: "ana@example.com",
    });
    const rows = await metrics(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ requestType: "approval", userId: "ana@example.com" });
  });

  test("a second reviewer sees who decided first, and nothing changes", async () => {
    const id = await newApproval();
    await submitApprovalDecision(ana, form({ id, decision: "reject", comment: "Add a test" }));
    const late = await submitApprovalDecision(bo, form({ id, decision: "approve" }));
    expect(late).toMatchObject({
      ok: false,
      state: {
        conflict: { outcome: "rejected", by: "ana@example.com", comment: "Add a test" },
      },
    });
    if (!late.ok) expect(late.state.conflict?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await approval(id)).toMatchObject({ approved: false, decidedBy: "ana@example.com" });
    expect(await metrics(id)).toHaveLength(1);
  });

  test("an expired request is reported as expired and stays undecided", async () => {
    const id = await newApproval({ expiresAt: new Date(Date.now() - 60_000) });
    const result = await submitApprovalDecision(ana, form({ id, decision: "approve" }));
    expect(result).toMatchObject({ ok: false, state: { conflict: { outcome: "expired" } } });
    expect((await approval(id)).approved).toBeNull();
    expect(await metrics(id)).toHaveLength(0);
  });

  test("a malformed id or decision is refused with a message", async () => {
    expect(
      await submitApprovalDecision(ana, form({ id: "nope", decision: "approve" })),
    ).toMatchObject({ ok: false, state: { message: "id must be a UUID" } });
    expect(
      await submitApprovalDecision(ana, form({ id: randomUUID(), decision: "maybe" })),
    ).toMatchObject({ ok: false, state: { message: "Choose Approve or Reject." } });
    expect(
      await submitApprovalDecision(ana, form({ id: randomUUID(), decision: "approve" })),
    ).toMatchObject({ ok: false, state: { message: "Approval not found." } });
  });
});

describe(`answer form (${testDbKind})`, () => {
  test("an empty answer is refused and changes nothing", async () => {
    const id = await newQuestion();
    const result = await submitAnswer(ana, form({ id, response: "   " }));
    expect(result).toMatchObject({
      ok: false,
      state: { errors: { response: "The answer (response) must not be blank." } },
    });
    expect(await metrics(id)).toHaveLength(0);
  });

  test("answering records the reviewer and one metrics row; a late answer sees the first", async () => {
    const id = await newQuestion();
    const first = await submitAnswer(ana, form({ id, response: "Use Redis." }));
    expect(first.ok).toBe(true);
    const [row] = await database.db
      .select()
      .from(questionRequests)
      .where(eq(questionRequests.id, id));
    expect(row).toMatchObject({ response: "Use Redis.", respondedBy: "ana@example.com" });
    expect(await metrics(id)).toMatchObject([
      { requestType: "question", userId: "ana@example.com" },
    ]);
    const late = await submitAnswer(bo, form({ id, response: "Use Postgres." }));
    expect(late).toMatchObject({
      ok: false,
      state: { conflict: { outcome: "answered", by: "ana@example.com", comment: "Use Redis." } },
    });
    expect(await metrics(id)).toHaveLength(1);
  });
});

describe(`next pending item (${testDbKind})`, () => {
  test("is the oldest pending approval or question, skipping decided and expired ones", async () => {
    await database.db.delete(approvalRequests);
    await database.db.delete(questionRequests);
    expect(await nextPending()).toBeNull();
    await newApproval({ timestamp: new Date("2000-01-01T00:00:00Z"), approved: true });
    await newQuestion({
      timestamp: new Date("2000-01-02T00:00:00Z"),
      expiresAt: new Date(Date.now() - 1000),
    });
    const q = await newQuestion({ timestamp: new Date("2000-01-04T00:00:00Z") });
    const a = await newApproval({ timestamp: new Date("2000-01-03T00:00:00Z") });
    expect(await nextPending()).toEqual({ type: "approval", id: a });
    await submitApprovalDecision(ana, form({ id: a, decision: "approve" }));
    expect(await nextPending()).toEqual({ type: "question", id: q });
  });
});
