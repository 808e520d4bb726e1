import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as approvals from "@/app/api/v1/approvals/route";
import * as decision from "@/app/api/v1/approvals/[id]/decision/route";
import * as oneApproval from "@/app/api/v1/approvals/[id]/route";
import * as revisionsRoute from "@/app/api/v1/approvals/[id]/revisions/route";
import { rows, type Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { listHistory } from "@/db/queries/history";
import { listPending } from "@/db/queries/inbox";
import { pendingOverview, sweepTimedEvents } from "@/db/queries/request-store";
import { approvalRequests, hitlMetrics } from "@/db/schema";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Revisions (supersedes) and inline comments through the agent API's route handlers,
 * called as Next calls them, with real keys, on a real database (both kinds).
 */

let database: Database;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await setupTestDatabase();
  for (const [name, role] of [
    ["agent", "agent"],
    ["rev", "reviewer"],
  ] as const) {
    keys[name] = (await createApiKey({ name: `${name}-${testDbKind}`, role })).key;
  }
});
afterAll(() => teardownTestDatabase(database));

type Handler = (request: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(
  handler: Handler,
  key: string,
  { body, id = "", query = "" }: { body?: unknown; id?: string; query?: string } = {},
) {
  const res = await handler(
    new Request(`http://nexus.test/api/v1/x${query}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        Authorization: `Bearer ${keys[key]}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

const DIFF = `--- a/src/a.ts
+++ b/src/a.ts
@@ -10,4 +10,4 @@
 ten
-eleven
+ELEVEN
 twelve
 thirteen
`;
const DIFF_2 = DIFF.replace("+ELEVEN", "+Eleven");

const submit = (body: Record<string, unknown>) =>
  call(approvals.POST, "agent", {
    body: { file_path: "src/a.ts", diff: DIFF, agent_id: "agent-r", ...body },
  });
const decide = (id: string, body: unknown) => call(decision.POST, "rev", { body, id });
const get = (id: string, query = "") => call(oneApproval.GET, "agent", { id, query });
const metricsOf = (id: string) =>
  database.db.select().from(hitlMetrics).where(eq(hitlMetrics.requestId, id));

describe(`revisions (${testDbKind})`, () => {
  test("a revision of a pending approval supersedes it: status, links, revision numbers, no metrics row", async () => {
    const first = await submit({});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ revision: 1, supersedes: null, superseded_by: null });
    const second = await submit({ diff: DIFF_2, supersedes: first.body.id.toUpperCase() });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      revision: 2,
      supersedes: first.body.id,
      status: "pending",
    });

    const earlier = await get(first.body.id, "?wait=5");
    expect(earlier.body).toMatchObject({ status: "superseded", superseded_by: second.body.id });
    expect(await metricsOf(first.body.id)).toHaveLength(0);

    // a reviewer who still had the earlier one open: 409 naming the revision
    const late = await decide(first.body.id, { approved: true });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(second.body.id);
    expect(late.body.error.current).toMatchObject({ status: "superseded" });

    // the inbox and pending counts leave it out; the history shows it and filters on it
    const pending = await listPending({ agentId: "agent-r" });
    expect(pending.map((p) => p.id)).toEqual([second.body.id]);
    const overview = await pendingOverview();
    expect(overview.find((f) => f.kind === "approval")!.count).toBeGreaterThanOrEqual(1);
    const history = await listHistory({ outcome: "superseded", agent: "agent-r" });
    expect(history.items.map((i) => [i.id, i.outcome, i.responseTimeMs])).toEqual([
      [first.body.id, "superseded", null],
    ]);
    const listed = await call(approvals.GET, "agent", {
      query: "?status=superseded&agent_id=agent-r",
    });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
  });

  test("a long poll waiting on the earlier one returns when the revision comes, naming it", async () => {
    const first = await submit({});
    const waiting = get(first.body.id, "?wait=20");
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 200));
    const second = await submit({ diff: DIFF_2, supersedes: first.body.id });
    const answer = await waiting;
    expect(answer.body).toMatchObject({ status: "superseded", superseded_by: second.body.id });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test("a decided earlier one stays decided; the chain lists every revision with its decision", async () => {
    const first = await submit({});
    const rejected = await decide(first.body.id, {
      approved: false,
      comments: [{ file_path: "src/a.ts", side: "new", line: 11, body: "lower case, please" }],
    });
    expect(rejected.status).toBe(200);
    const second = await submit({ diff: DIFF_2, supersedes: first.body.id });
    const third = await submit({
      diff: DIFF_2.replace("+Eleven", "+eleven!"),
      supersedes: second.body.id,
    });
    expect(third.body.revision).toBe(3);
    expect((await get(first.body.id)).body).toMatchObject({
      status: "rejected",
      superseded_by: null,
    });
    expect((await get(second.body.id)).body.status).toBe("superseded");

    for (const id of [first.body.id, second.body.id, third.body.id]) {
      const chain = await call(revisionsRoute.GET, "rev", { id });
      expect(chain.status).toBe(200);
      expect(
        chain.body.items.map((i: { id: string; revision: number }) => [i.id, i.revision]),
      ).toEqual([
        [first.body.id, 1],
        [second.body.id, 2],
        [third.body.id, 3],
      ]);
      expect(chain.body.items[0]).not.toHaveProperty("diff");
      expect(chain.body.items[0].comments).toEqual([
        { file_path: "src/a.ts", side: "new", line: 11, body: "lower case, please" },
      ]);
    }
    const unknown = await call(revisionsRoute.GET, "rev", { id: randomUUID() });
    expect(unknown.status).toBe(404);
  });

  test("refused: an unknown id, another agent's approval, a second revision of the same one", async () => {
    const missing = randomUUID();
    const unknown = await submit({ supersedes: missing });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(missing);
    expect(unknown.body.error.details[0].path).toBe("supersedes");

    const first = await submit({});
    const other = await submit({ agent_id: "agent-other", supersedes: first.body.id });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/agent-r.*same agent/);

    const second = await submit({ diff: DIFF_2, supersedes: first.body.id });
    const fork = await submit({ diff: DIFF_2 + " ", supersedes: first.body.id });
    expect(fork.status).toBe(409);
    expect(fork.body.error.message).toContain(second.body.id);

    // an identical retry of the revision (same id) is still the same revision
    const retry = await submit({ id: second.body.id, diff: DIFF_2, supersedes: first.body.id });
    expect(retry.status).toBe(200);
    expect(retry.body.revision).toBe(2);
    const notUuid = await submit({ supersedes: "nope" });
    expect(notUuid.status).toBe(400);
  });

  test("a superseded approval past its expiry is not expired, and gets no expiry event", async () => {
    const first = await submit({ expires_in_s: 1 });
    await submit({ diff: DIFF_2, supersedes: first.body.id });
    await database.db.execute(
      sql`UPDATE approval_requests SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE id = ${first.body.id}`,
    );
    await sweepTimedEvents();
    const events = await rows<{ type: string }>(
      database.db,
      sql`SELECT type FROM outbox_events WHERE request_id = ${first.body.id}`,
    );
    expect(events.map((e) => e.type)).toEqual(["request.created"]);
    expect((await get(first.body.id)).body.status).toBe("superseded");
    const expired = await listHistory({ outcome: "expired", agent: "agent-r" });
    expect(expired.items.map((i) => i.id)).not.toContain(first.body.id);
  });

  test("a revision racing a decision of the earlier one: exactly one outcome, every time", async () => {
    for (let i = 0; i < 12; i++) {
      const first = await submit({});
      const [revision, decided] = await Promise.all([
        submit({ diff: DIFF_2, supersedes: first.body.id }),
        decide(first.body.id, { approved: i % 2 === 0, comment: "raced" }),
      ]);
      expect(revision.status).toBe(201);
      const [row] = await database.db
        .select()
        .from(approvalRequests)
        .where(eq(approvalRequests.id, first.body.id));
      const metrics = await metricsOf(first.body.id);
      if (decided.status === 200) {
        expect(row).toMatchObject({ supersededBy: null, approved: i % 2 === 0 });
        expect(metrics).toHaveLength(1);
      } else {
        expect(decided.status).toBe(409);
        expect(row).toMatchObject({ supersededBy: revision.body.id, approved: null });
        expect(metrics).toHaveLength(0);
      }
    }
  });
});

describe(`inline comments (${testDbKind})`, () => {
  const comment = (over: Record<string, unknown> = {}) => ({
    file_path: "src/a.ts",
    side: "new",
    line: 11,
    body: "rename this",
    ...over,
  });

  test("request changes: a rejection with inline comments only; the agent's long poll gets them", async () => {
    const { body } = await submit({});
    const waiting = get(body.id, "?wait=20");
    const res = await decide(body.id, {
      approved: false,
      comments: [comment(), comment({ side: "old", line: 10, end_line: 12, body: "  keep  " })],
    });
    expect(res.status).toBe(200);
    const answer = await waiting;
    expect(answer.body).toMatchObject({
      status: "rejected",
      comment: null,
      comments: [
        { file_path: "src/a.ts", side: "new", line: 11, body: "rename this" },
        { file_path: "src/a.ts", side: "old", line: 10, end_line: 12, body: "keep" },
      ],
    });
    expect(await metricsOf(body.id)).toHaveLength(1);
  });

  test("a line the diff does not show is a 400 naming it; nothing is decided", async () => {
    const { body } = await submit({});
    const res = await decide(body.id, { approved: false, comments: [comment({ line: 40 })] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("src/a.ts has no new line 40");
    expect(res.body.error.details).toEqual([
      { path: "comments.0.line", message: expect.stringContaining("new lines shown: 10–13") },
    ]);
    const blank = await decide(body.id, { approved: false, comments: [] });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details[0].path).toBe("comment");
    const badSide = await decide(body.id, {
      approved: false,
      comments: [comment({ side: "left" })],
    });
    expect(badSide.status).toBe(400);
    expect((await get(body.id)).body.status).toBe("pending");
    // approving with comments is fine too
    const ok = await decide(body.id, { approved: true, comments: [comment({ body: "nice" })] });
    expect(ok.status).toBe(200);
    expect(ok.body.comments).toHaveLength(1);
  });
});
