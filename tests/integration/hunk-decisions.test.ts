import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as approvals from "@/app/api/v1/approvals/route";
import * as decision from "@/app/api/v1/approvals/[id]/decision/route";
import * as oneApproval from "@/app/api/v1/approvals/[id]/route";
import * as toolCalls from "@/app/api/v1/tool-calls/route";
import * as toolDecision from "@/app/api/v1/tool-calls/[id]/decision/route";
import * as oneToolCall from "@/app/api/v1/tool-calls/[id]/route";
import { rows, type Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { approvalRequests, hitlMetrics } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { decideFromForm } from "@/server/requests/forms";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";
import { GitRepo } from "../helpers/git-repo";

/*
 * Per-hunk decisions and edit before approve through both doors (the API's route handlers
 * with real keys, the dashboard form's work) on a real database: what is stored, what
 * hitl_metrics records, what the agent reads back, and that the agent's applied_diff
 * applies with git to exactly the reviewed content.
 */

let database: Database;
const keys: Record<string, string> = {};
beforeAll(async () => {
  database = await setupTestDatabase();
  for (const [name, role] of [
    ["agent", "agent"],
    ["rev", "reviewer"],
  ] as const) {
    keys[name] = (await createApiKey({ name, role, agentId: null })).key;
  }
});
afterAll(() => teardownTestDatabase(database));

type Handler = (request: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, key: string, body?: unknown, id = "") {
  const res = await handler(
    new Request(`http://nexus.test/api/v1/x${body === undefined ? "" : ""}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${keys[key]!}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ id }) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

const lines = (n: number, p = "line") => Array.from({ length: n }, (_, i) => `${p} ${i + 1}`);
const text = (l: string[]) => `${l.join("\n")}\n`;

/** Two files: a.txt with three hunks (lines 2, 15, 28 changed), b.txt with one. */
function threeHunks() {
  const base = { "a.txt": text(lines(30)), "b.txt": text(lines(5, "b")) };
  const a = lines(30);
  a[1] = "two!";
  a[14] = "fifteen!";
  a[27] = "twenty-eight!";
  const repo = new GitRepo(base);
  const diff = repo.diffTo({ "a.txt": text(a), "b.txt": text([...lines(5, "b"), "b 6"]) });
  return { repo, diff };
}

async function submit(diff: string) {
  const res = await call(approvals.POST, "agent", {
    file_path: "a.txt",
    diff,
    agent_id: "agent-h",
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe(`per-hunk decisions through the API (${testDbKind})`, () => {
  test("approve in part with an edit: stored, counted, and applied_diff gives the reviewed files", async () => {
    const { repo, diff } = threeHunks();
    try {
      const id = await submit(diff);
      const decided = await call(
        decision.POST,
        "rev",
        {
          approved: true,
          comment: "most of it",
          hunks: [
            { file: "a.txt", index: 1, accepted: false, note: "keep fifteen" },
            { file: "b.txt", index: 0, accepted: false },
          ],
          edits: [
            {
              file: "a.txt",
              index: 2,
              new_text: "line 25\nline 26\nline 27\ntwenty-eight (reviewed)\nline 29\nline 30\n",
            },
          ],
        },
        id,
      );
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: "approved", partial: true, edited: true });
      expect(decided.body.applied_diff).toBeUndefined(); // like diff: only in GET
      expect(decided.body.hunks).toEqual([
        {
          file: "a.txt",
          index: 0,
          header: "@@ -1,5 +1,5 @@",
          accepted: true,
          note: null,
          edited: false,
        },
        {
          file: "a.txt",
          index: 1,
          header: "@@ -12,7 +12,7 @@ line 11",
          accepted: false,
          note: "keep fifteen",
          edited: false,
        },
        {
          file: "a.txt",
          index: 2,
          header: "@@ -25,6 +25,6 @@ line 24",
          accepted: true,
          note: null,
          edited: true,
        },
        {
          file: "b.txt",
          index: 0,
          header: "@@ -3,3 +3,4 @@ b 2",
          accepted: false,
          note: null,
          edited: false,
        },
      ]);

      // the agent's long poll answer
      const polled = await call(oneApproval.GET, "agent", undefined, id);
      expect(polled.body).toMatchObject({ partial: true, edited: true, diff });
      repo.apply(polled.body.applied_diff);
      const a = lines(30);
      a[1] = "two!";
      a[27] = "twenty-eight (reviewed)";
      expect(repo.read("a.txt")).toBe(text(a));
      expect(repo.read("b.txt")).toBe(text(lines(5, "b")));

      // lists carry the decision, not the diffs
      const listed = await call(approvals.GET, "rev", undefined);
      const item = listed.body.items.find((i: { id: string }) => i.id === id);
      expect(item).toMatchObject({ partial: true, edited: true });
      expect(item.hunks).toHaveLength(4);
      expect(item).not.toHaveProperty("applied_diff");

      const [m] = await database.db.select().from(hitlMetrics).where(eq(hitlMetrics.requestId, id));
      expect(m).toMatchObject({ requestType: "approval", hunksAccepted: 2, hunksTotal: 4 });
      // the seed document's queries still read it as one approved decision
      const [seed] = await rows<{ approved: boolean; n: number }>(
        database.db,
        sql`SELECT ar.approved, COUNT(*)::int AS n FROM hitl_metrics hm JOIN approval_requests ar ON ar.id = hm.request_id WHERE hm.request_type = 'approval' AND ar.id = ${id} GROUP BY ar.approved`,
      );
      expect(seed).toEqual({ approved: true, n: 1 });
    } finally {
      repo.remove();
    }
  });

  test("approving whole records every hunk accepted and applied_diff = the diff", async () => {
    const { repo, diff } = threeHunks();
    repo.remove();
    const id = await submit(diff);
    const decided = await call(decision.POST, "rev", { approved: true }, id);
    expect(decided.body).toMatchObject({ partial: false, edited: false });
    expect(decided.body.hunks.every((h: { accepted: boolean }) => h.accepted)).toBe(true);
    const polled = await call(oneApproval.GET, "agent", undefined, id);
    expect(polled.body.applied_diff).toBe(diff);
    const [row] = await database.db
      .select()
      .from(approvalRequests)
      .where(eq(approvalRequests.id, id));
    expect(row!.appliedDiff).toBeNull(); // not stored twice
    const [m] = await database.db.select().from(hitlMetrics).where(eq(hitlMetrics.requestId, id));
    expect(m).toMatchObject({ hunksAccepted: 4, hunksTotal: 4 });
  });

  test("a rejection keeps the notes, accepts nothing and applies nothing", async () => {
    const { repo, diff } = threeHunks();
    repo.remove();
    const id = await submit(diff);
    const decided = await call(
      decision.POST,
      "rev",
      {
        approved: false,
        comment: "not yet",
        hunks: [{ file: "a.txt", index: 0, accepted: true, note: "this one is fine" }],
      },
      id,
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: "rejected", partial: false, edited: false });
    expect(decided.body.hunks[0]).toMatchObject({ accepted: false, note: "this one is fine" });
    const polled = await call(oneApproval.GET, "agent", undefined, id);
    expect(polled.body.applied_diff).toBeNull();
  });

  test("400s name the hunk that does not exist, and nothing is decided", async () => {
    const { repo, diff } = threeHunks();
    repo.remove();
    const id = await submit(diff);
    const cases: [unknown, string, RegExp][] = [
      [
        { approved: true, hunks: [{ file: "a.txt", index: 7, accepted: false }] },
        "hunks.0",
        /"a\.txt" has no hunk 7/,
      ],
      [
        { approved: true, hunks: [{ file: "c.txt", index: 0, accepted: false }] },
        "hunks.0",
        /no file "c\.txt"/,
      ],
      [
        { approved: true, edits: [{ file: "b.txt", index: 3, new_text: "x" }] },
        "edits.0",
        /"b\.txt" has no hunk 3/,
      ],
      [
        {
          approved: true,
          hunks: [0, 1, 2]
            .map((index) => ({ file: "a.txt", index, accepted: false }))
            .concat([{ file: "b.txt", index: 0, accepted: false }]),
        },
        "hunks",
        /Every hunk is rejected/,
      ],
      [
        { approved: false, comment: "no", edits: [{ file: "a.txt", index: 0, new_text: "x" }] },
        "edits",
        /only when approving/,
      ],
      [
        { approved: true, hunks: [{ file: "a.txt", index: -1, accepted: true }] },
        "hunks.0.index",
        /0 or more/,
      ],
    ];
    for (const [body, path, message] of cases) {
      const res = await call(decision.POST, "rev", body, id);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const detail = res.body.error.details.find((d: { path: string }) => d.path === path);
      expect(detail?.message, JSON.stringify(res.body)).toMatch(message);
    }
    const polled = await call(oneApproval.GET, "agent", undefined, id);
    expect(polled.body.status).toBe("pending");
    expect(polled.body.hunks).toBeNull();
  });
});

describe(`per-hunk decisions from the dashboard form (${testDbKind})`, () => {
  const ana: Principal = {
    kind: "user",
    id: "u1",
    email: "ana@example.com",
    name: "Ana",
    role: "reviewer",
  };
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  };

  test("the hidden hunks field carries the decisions; a bad one is refused, nothing lost", async () => {
    const { repo, diff } = threeHunks();
    repo.remove();
    const id = await submit(diff);
    const bad = await decideFromForm(
      "approval",
      ana,
      form({ id, decision: "approve", comment: "", hunks: "{not json" }),
    );
    expect(bad.ok).toBe(false);
    const missing = await decideFromForm(
      "approval",
      ana,
      form({
        id,
        decision: "approve",
        comment: "",
        hunks: JSON.stringify({ hunks: [{ file: "a.txt", index: 9, accepted: false }] }),
      }),
    );
    expect(missing.ok).toBe(false);
    expect(JSON.stringify(missing)).toMatch(/no hunk 9/);
    const ok = await decideFromForm(
      "approval",
      ana,
      form({
        id,
        decision: "approve",
        comment: "part",
        hunks: JSON.stringify({ hunks: [{ file: "b.txt", index: 0, accepted: false }] }),
      }),
    );
    expect(ok.ok).toBe(true);
    const [row] = await database.db
      .select()
      .from(approvalRequests)
      .where(eq(approvalRequests.id, id));
    expect(row!.hunkDecisions?.map((h) => h.accepted)).toEqual([true, true, true, false]);
    expect(row!.appliedDiff).not.toContain("b.txt");
  });
});

describe(`edit before approve on a tool call (${testDbKind})`, () => {
  async function submitTool(tool_name: string, tool_input: Record<string, unknown>) {
    const res = await call(toolCalls.POST, "agent", {
      tool_name,
      tool_input,
      agent_id: "agent-h",
      cwd: "/w",
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  test("an edited Edit becomes updated_input with the reviewer's new_string", async () => {
    const input = {
      file_path: "/w/src/x.ts",
      old_string: "const a = 1;\nconst b = 2;",
      new_string: "const a = 10;\nconst b = 2;",
    };
    const id = await submitTool("Edit", input);
    const decided = await call(
      toolDecision.POST,
      "rev",
      {
        approved: true,
        edits: [{ file: "src/x.ts", index: 0, new_text: "const a = 11;\nconst b = 2;\n" }],
      },
      id,
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      edited: true,
      updated_input: { ...input, new_string: "const a = 11;\nconst b = 2;" },
    });
    const polled = await call(oneToolCall.GET, "agent", undefined, id);
    expect(polled.body.applied_diff).toContain("+const a = 11;");
  });

  test("a MultiEdit in part leaves the rejected edit out; a Write edited changes its content", async () => {
    const multi = {
      file_path: "/w/m.txt",
      edits: [
        { old_string: "one", new_string: "ONE" },
        { old_string: "two", new_string: "TWO" },
      ],
    };
    const id = await submitTool("MultiEdit", multi);
    const decided = await call(
      toolDecision.POST,
      "rev",
      { approved: true, hunks: [{ file: "m.txt", index: 0, accepted: false }] },
      id,
    );
    expect(decided.body).toMatchObject({
      partial: true,
      updated_input: { file_path: "/w/m.txt", edits: [{ old_string: "two", new_string: "TWO" }] },
    });

    const write = await submitTool("Write", { file_path: "/w/new.txt", content: "a\nb\n" });
    const written = await call(
      toolDecision.POST,
      "rev",
      { approved: true, edits: [{ file: "new.txt", index: 0, new_text: "a\nB\nc\n" }] },
      write,
    );
    expect(written.body.updated_input).toEqual({ file_path: "/w/new.txt", content: "a\nB\nc\n" });
  });

  test("tools whose diff cannot be split refuse hunk decisions", async () => {
    const id = await submitTool("Bash", { command: "ls" });
    const res = await call(
      toolDecision.POST,
      "rev",
      { approved: true, hunks: [{ file: "x", index: 0, accepted: false }] },
      id,
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/only on an Edit, MultiEdit or Write/);
    const whole = await call(toolDecision.POST, "rev", { approved: true }, id);
    expect(whole.body).toMatchObject({ status: "approved", hunks: null, updated_input: null });
  });
});
