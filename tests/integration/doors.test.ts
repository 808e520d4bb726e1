import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as approvals from "@/app/api/v1/approvals/route";
import * as decision from "@/app/api/v1/approvals/[id]/decision/route";
import * as oneApproval from "@/app/api/v1/approvals/[id]/route";
import * as questions from "@/app/api/v1/questions/route";
import * as response from "@/app/api/v1/questions/[id]/response/route";
import type { Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { approvalRequests, hitlMetrics, questionRequests } from "@/db/schema";
import { MAX_CONTEXT_BYTES, MAX_TEXT } from "@/lib/api/schemas";
import type { Principal } from "@/lib/auth/principal";
import { decideFromForm } from "@/server/requests/forms";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * The same rules at both doors: the agent API (its route handlers, called as Next calls
 * them, with real keys) and the dashboard (the decision forms' server-action work, as
 * tests/integration/review-actions.test.ts calls it). The database is real.
 */

let database: Database;
const keys: Record<string, { key: string; id: string }> = {};

beforeAll(async () => {
  database = await setupTestDatabase();
  for (const [name, role, agentId] of [
    ["agent", "agent", null],
    ["bound", "agent", "agent-a"],
    ["rev1", "reviewer", null],
    ["rev2", "reviewer", null],
  ] as const) {
    const { key, row } = await createApiKey({ name, role, agentId });
    keys[name] = { key, id: row.id };
  }
});
afterAll(() => teardownTestDatabase(database));

const ana: Principal = {
  kind: "user",
  id: "u1",
  email: "ana@example.com",
  name: "Ana",
  role: "reviewer",
};

type Handler = (request: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, key: string, body: unknown, id = "") {
  const res = await handler(
    new Request("http://nexus.test/api/v1/x", {
      method: "POST",
      headers: { Authorization: `Bearer ${keys[key]!.key}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

const paths = (body: { error?: { details?: { path: string }[] } }) =>
  (body.error?.details ?? []).map((d) => d.path);

const DIFF = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
const submitApproval = (extra: Record<string, unknown> = {}, key = "agent") =>
  call(approvals.POST, key, { file_path: "x.ts", diff: DIFF, agent_id: "agent-a", ...extra });
const submitQuestion = (extra: Record<string, unknown> = {}, key = "agent") =>
  call(questions.POST, key, { question: "Which?", agent_id: "agent-a", ...extra });

async function newApproval() {
  const res = await submitApproval();
  expect(res.status).toBe(201);
  return res.body.id as string;
}
async function newQuestion() {
  const res = await submitQuestion();
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const dashboardDecide = (id: string, decision: string, comment: string) =>
  decideFromForm("approval", ana, form({ id, decision, comment }));
const dashboardAnswer = (id: string, text: string) =>
  decideFromForm("question", ana, form({ id, response: text }));

/** The message at a form field (whatever the form state's shape: one or a list). */
function fieldError(result: { ok: boolean; state?: { errors?: object } }, name: string) {
  if (result.ok) return undefined;
  const e = (result.state?.errors as Record<string, string | string[]> | undefined)?.[name];
  return Array.isArray(e) ? e[0] : e;
}

const approvalRow = async (id: string) =>
  (await database.db.select().from(approvalRequests).where(eq(approvalRequests.id, id)))[0]!;
const questionRow = async (id: string) =>
  (await database.db.select().from(questionRequests).where(eq(questionRequests.id, id)))[0]!;
const metricRows = (id: string) =>
  database.db.select().from(hitlMetrics).where(eq(hitlMetrics.requestId, id));

describe(`a reason is required to reject (${testDbKind})`, () => {
  test("API: 400 naming comment, for a missing or blank comment; nothing recorded", async () => {
    const id = await newApproval();
    for (const body of [{ approved: false }, { approved: false, comment: " \n\t " }]) {
      const res = await call(decision.POST, "rev1", body, id);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: "comment", message: expect.stringMatching(/comment is required to reject/i) },
      ]);
    }
    expect((await approvalRow(id)).approved).toBeNull();
    expect(await metricRows(id)).toHaveLength(0);
  });

  test("dashboard: the form's message at the comment field; nothing recorded", async () => {
    const id = await newApproval();
    const result = await dashboardDecide(id, "reject", "   ");
    expect(fieldError(result, "comment")).toMatch(/comment is required to reject/i);
    expect((await approvalRow(id)).approved).toBeNull();
  });
});

describe(`text length caps (${testDbKind})`, () => {
  const long = "x".repeat(MAX_TEXT + 1);
  const full = "x".repeat(MAX_TEXT);

  test("API: question, description over 64 K are refused; exactly 64 K is taken", async () => {
    let res = await submitQuestion({ question: long });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["question"]);
    res = await submitApproval({ description: long });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["description"]);
    expect((await submitQuestion({ question: full })).status).toBe(201);
    expect((await submitApproval({ description: full })).status).toBe(201);
  });

  test("API: context over 1 MiB of JSON is refused, 1 MiB is taken", async () => {
    // {"k":"…"} is 8 bytes around the string
    const context = (bytes: number) => ({ k: "y".repeat(bytes - 8) });
    expect(JSON.stringify(context(MAX_CONTEXT_BYTES)).length).toBe(MAX_CONTEXT_BYTES);
    const res = await submitQuestion({ context: context(MAX_CONTEXT_BYTES + 1) });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["context"]);
    expect((await submitQuestion({ context: context(MAX_CONTEXT_BYTES) })).status).toBe(201);
  });

  test("API: comment and response over 64 K are refused", async () => {
    const a = await newApproval();
    let res = await call(decision.POST, "rev1", { approved: true, comment: long }, a);
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["comment"]);
    const q = await newQuestion();
    res = await call(response.POST, "rev1", { response: long }, q);
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["response"]);
    expect((await call(response.POST, "rev1", { response: full }, q)).status).toBe(200);
  });

  test("dashboard: the same caps, at the field", async () => {
    const a = await newApproval();
    const q = await newQuestion();
    expect(fieldError(await dashboardDecide(a, "approve", long), "comment")).toMatch(
      /at most 65,536/,
    );
    expect(fieldError(await dashboardAnswer(q, long), "response")).toMatch(/at most 65,536/);
    expect((await approvalRow(a)).approved).toBeNull();
    expect((await questionRow(q)).response).toBeNull();
  });
});

describe(`comment and response are trimmed (${testDbKind})`, () => {
  test("API", async () => {
    const a = await newApproval();
    const res = await call(
      decision.POST,
      "rev1",
      { approved: false, comment: "  add a test \n" },
      a,
    );
    expect(res.status).toBe(200);
    expect(res.body.comment).toBe("add a test");
    expect((await approvalRow(a)).comment).toBe("add a test");
    const q = await newQuestion();
    expect((await call(response.POST, "rev1", { response: "\n Redis  " }, q)).body.response).toBe(
      "Redis",
    );
    expect((await questionRow(q)).response).toBe("Redis");
    const blank = await call(response.POST, "rev1", { response: "   " }, await newQuestion());
    expect(blank.status).toBe(400);
    expect(paths(blank.body)).toEqual(["response"]);
  });

  test("dashboard", async () => {
    const a = await newApproval();
    expect((await dashboardDecide(a, "reject", "  add a test \n")).ok).toBe(true);
    expect((await approvalRow(a)).comment).toBe("add a test");
    const b = await newApproval();
    expect((await dashboardDecide(b, "approve", "   ")).ok).toBe(true);
    expect((await approvalRow(b)).comment).toBeNull();
    const q = await newQuestion();
    expect((await dashboardAnswer(q, "\n Redis  ")).ok).toBe(true);
    expect((await questionRow(q)).response).toBe("Redis");
  });
});

describe(`NUL and lone surrogates are refused (${testDbKind})`, () => {
  const bad = ["a\u0000b", "a\ud800b"];

  test("API: 400 at the field", async () => {
    for (const text of bad) {
      const a = await newApproval();
      const res = await call(decision.POST, "rev1", { approved: false, comment: text }, a);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(["comment"]);
      const q = await newQuestion();
      const r2 = await call(response.POST, "rev1", { response: text }, q);
      expect(r2.status).toBe(400);
      expect(paths(r2.body)).toEqual(["response"]);
    }
  });

  test("dashboard: an error at the field, never a database error", async () => {
    // FormData holds USVStrings: a lone surrogate arrives as U+FFFD, so only NUL can reach it
    const text = "a\u0000b";
    const a = await newApproval();
    expect(fieldError(await dashboardDecide(a, "reject", text), "comment")).toMatch(/NUL/);
    const q = await newQuestion();
    expect(fieldError(await dashboardAnswer(q, text), "response")).toMatch(/NUL/);
    expect((await approvalRow(a)).approved).toBeNull();
    expect((await questionRow(q)).response).toBeNull();
  });
});

describe(`who submitted is recorded (${testDbKind})`, () => {
  test("the key's id is stored and its name is in the API's JSON", async () => {
    const created = await submitApproval();
    expect(created.body.submitted_by).toBe("key:agent");
    const id = created.body.id as string;
    expect((await approvalRow(id)).submittedKeyId).toBe(keys.agent!.id);
    const got = await oneApproval.GET(
      new Request(`http://nexus.test/api/v1/approvals/${id}`, {
        headers: { Authorization: `Bearer ${keys.rev1!.key}` },
      }),
      { params: Promise.resolve({ id }) },
    );
    expect((await got.json()).submitted_by).toBe("key:agent");
    const listed = await approvals.GET(
      new Request("http://nexus.test/api/v1/approvals?limit=200", {
        headers: { Authorization: `Bearer ${keys.rev1!.key}` },
      }),
      undefined as never,
    );
    const item = (await listed.json()).items.find((i: { id: string }) => i.id === id);
    expect(item.submitted_by).toBe("key:agent");
    const q = await submitQuestion({}, "bound");
    expect(q.body.submitted_by).toBe("key:bound");
    expect((await questionRow(q.body.id)).submittedKeyId).toBe(keys.bound!.id);
  });
});

describe(`a key bound to an agent_id (${testDbKind})`, () => {
  test("submits only as that agent: 403 naming agent_id otherwise, nothing stored", async () => {
    const id = randomUUID();
    for (const submit of [submitApproval, submitQuestion]) {
      const res = await submit({ id, agent_id: "agent-b" }, "bound");
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/bound to agent_id "agent-a"/);
      expect(paths(res.body)).toEqual(["agent_id"]);
      expect((await submit({ agent_id: "agent-a" }, "bound")).status).toBe(201);
    }
    expect(
      await database.db.select().from(approvalRequests).where(eq(approvalRequests.id, id)),
    ).toEqual([]);
    // an unbound key may submit as any agent
    expect((await submitApproval({ agent_id: "agent-b" }, "agent")).status).toBe(201);
  });
});

describe(`a key never decides what it submitted (${testDbKind})`, () => {
  test("API: 403 for the submitting key, nothing recorded; another key may decide", async () => {
    const a = (await submitApproval({}, "rev1")).body.id as string;
    let res = await call(decision.POST, "rev1", { approved: true }, a);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/submitted this approval/);
    expect((await approvalRow(a)).approved).toBeNull();
    expect(await metricRows(a)).toHaveLength(0);
    res = await call(decision.POST, "rev2", { approved: true }, a);
    expect(res.status).toBe(200);

    const q = (await submitQuestion({}, "rev1")).body.id as string;
    res = await call(response.POST, "rev1", { response: "mine" }, q);
    expect(res.status).toBe(403);
    expect((await questionRow(q)).response).toBeNull();
  });

  test("dashboard: a person may decide what a key submitted (the rule is about keys)", async () => {
    const a = (await submitApproval({}, "rev1")).body.id as string;
    expect((await dashboardDecide(a, "approve", "")).ok).toBe(true);
  });
});

describe(`quorum at both doors (${testDbKind})`, () => {
  test("API then dashboard: pending with 1 of 2 after the first, 409 for the same key again, decided by a person", async () => {
    const submitted = await submitApproval({ required_approvals: 2 });
    expect(submitted.status).toBe(201);
    expect(submitted.body.approvals).toEqual({ required: 2, received: 0 });
    const id = submitted.body.id as string;

    const first = await call(decision.POST, "rev1", { approved: true }, id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: "pending",
      approved: null,
      approvals: { required: 2, received: 1, reviewers: [{ reviewer: "key:rev1" }] },
    });
    const again = await call(decision.POST, "rev1", { approved: true }, id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      "You already approved this approval; it needs 1 more approval from other reviewers.",
    );
    expect(again.body.error.current).toMatchObject({ status: "pending" });

    // the long poll's answer (no wait) says the approvals so far
    const polled = await oneApproval.GET(
      new Request(`http://nexus.test/api/v1/approvals/${id}?wait=0`, {
        headers: { Authorization: `Bearer ${keys.agent!.key}` },
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(await polled.json()).toMatchObject({
      status: "pending",
      approvals: { received: 1, reviewers: [{ reviewer: "key:rev1" }] },
    });

    const done = await dashboardDecide(id, "approve", "");
    expect(done.ok).toBe(true);
    const [row] = await database.db
      .select()
      .from(approvalRequests)
      .where(eq(approvalRequests.id, id));
    expect(row).toMatchObject({ approved: true, decidedBy: "ana@example.com", approvalCount: 2 });
    const metrics = await database.db
      .select()
      .from(hitlMetrics)
      .where(eq(hitlMetrics.requestId, id));
    expect(metrics).toHaveLength(1);
  });

  test("dashboard: a first approval goes back to the request with ?approved=1", async () => {
    const id = (await submitApproval({ required_approvals: 3 })).body.id as string;
    expect(await dashboardDecide(id, "approve", "")).toEqual({
      ok: true,
      href: `/approvals/${id}?approved=1`,
    });
    const twice = await dashboardDecide(id, "approve", "");
    expect(twice).toMatchObject({
      ok: false,
      state: { message: expect.stringContaining("You already approved this approval") },
    });
  });

  test("required_approvals out of range: 400 naming it", async () => {
    for (const n of [0, 11, 1.5]) {
      const res = await submitApproval({ required_approvals: n });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(["required_approvals"]);
    }
  });
});
