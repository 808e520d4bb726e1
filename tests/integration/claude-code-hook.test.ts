import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as hook from "@/app/api/v1/integrations/claude-code/hook/route";
import * as toolCalls from "@/app/api/v1/tool-calls/route";
import * as oneToolCall from "@/app/api/v1/tool-calls/[id]/route";
import * as decision from "@/app/api/v1/tool-calls/[id]/decision/route";
import * as questionsRoute from "@/app/api/v1/questions/route";
import * as response from "@/app/api/v1/questions/[id]/response/route";
import type { Database } from "@/db/client";
import { getDb } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { hitlMetrics, toolCallRequests } from "@/db/schema";
import { toolCallId } from "@/server/requests/service";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * POST /api/v1/integrations/claude-code/hook, called as Next calls the route, with the
 * bodies Claude Code sends (shared/spec/claude-code-notes.md), decided through the
 * generic tool-call API with a reviewer key. The database is real.
 */

let database: Database;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await setupTestDatabase();
  for (const [name, role, agentId] of [
    ["agent", "agent", null],
    ["bound", "agent", "cc-bound"],
    ["rev", "reviewer", null],
  ] as const) {
    keys[name] = (await createApiKey({ name, role, agentId })).key;
  }
});
afterAll(() => teardownTestDatabase(database));

type Handler = (request: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(
  handler: Handler,
  {
    key = "agent",
    body,
    query = "",
    id = "",
    method = "POST",
    raw,
  }: {
    key?: string | null;
    body?: unknown;
    query?: string;
    id?: string;
    method?: string;
    raw?: string;
  },
) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${keys[key]}`;
  const res = await handler(
    new Request(`http://nexus.test/api/v1/x${query}`, {
      method,
      headers,
      body: method === "GET" ? undefined : (raw ?? JSON.stringify(body)),
    }),
    { params: Promise.resolve({ id }) },
  );
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: (text ? JSON.parse(text) : null) as any,
  };
}

let seq = 0;
const session = `sess-${Date.now()}`;
/** A PreToolUse body as Claude Code 2.1 sends it (Edit). */
function preToolUse(extra: Record<string, unknown> = {}) {
  seq++;
  return {
    session_id: session,
    transcript_path: "/tmp/home/.claude/projects/p/s.jsonl",
    cwd: "/tmp/p",
    prompt_id: "prompt-1",
    permission_mode: "default",
    effort: { level: "medium" },
    hook_event_name: "PreToolUse",
    tool_name: "Edit",
    tool_input: {
      file_path: "/tmp/p/config.ts",
      old_string: "export const port = 3000;",
      new_string: `export const port = ${8000 + seq};`,
      replace_all: false,
    },
    tool_use_id: `toolu_${seq}`,
    ...extra,
  };
}
function permissionRequest(extra: Record<string, unknown> = {}) {
  seq++;
  return {
    session_id: session,
    transcript_path: "/tmp/home/.claude/projects/p/s.jsonl",
    cwd: "/tmp/p",
    permission_mode: "default",
    hook_event_name: "PermissionRequest",
    tool_name: "Write",
    tool_input: { file_path: "/tmp/p/hello.txt", content: `hello ${seq}\n` },
    permission_suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
    ...extra,
  };
}

/** The pending tool call as the API lists it, polled until it shows (at most `ms`). */
async function pendingByTitle(title: string, ms = 1000) {
  const until = Date.now() + ms;
  for (;;) {
    const list = await call(toolCalls.GET, { method: "GET", query: "?status=pending" });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const found = list.body.items.find((i: any) => i.title === title);
    if (found) return found;
    if (Date.now() > until) throw new Error(`${title} not pending within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const decide = (id: string, body: unknown, key = "rev") => call(decision.POST, { key, id, body });

describe(`Claude Code hook (${testDbKind})`, () => {
  test("PreToolUse Edit: listed within a second with a diff; approve → allow", async () => {
    const body = preToolUse();
    const started = Date.now();
    const answer = call(hook.POST, { body, query: "?timeout=30" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(item).toMatchObject({
      tool_name: "Edit",
      session_id: session,
      cwd: "/tmp/p",
      hook_event: "PreToolUse",
      agent_id: "claude-code",
      diff_exact: false,
    });
    expect(item.tool_input).toBeUndefined(); // lists leave the input out
    expect(item.id).toBe(toolCallId("claude-code", session, body.tool_use_id));
    const one = await call(oneToolCall.GET, { method: "GET", id: item.id });
    expect(one.body.diff).toBe(
      "--- a/config.ts\n+++ b/config.ts\n@@ -1,1 +1,1 @@\n-export const port = 3000;\n+" +
        `${body.tool_input.new_string}\n`,
    );
    expect(one.body.tool_input).toEqual(body.tool_input);
    expect((await decide(item.id, { approved: true, comment: "fine" })).status).toBe(200);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "allow",
        permissionDecisionReason: "Approved in Nexus by key:rev: fine",
      },
    });
    const db = await getDb();
    const metrics = await db.select().from(hitlMetrics).where(eq(hitlMetrics.requestId, item.id));
    expect(metrics).toHaveLength(1);
    expect(metrics[0]!.requestType).toBe("tool_call");
  });

  test("PreToolUse reject → deny with the reviewer's comment; a reject needs one", async () => {
    const answer = call(hook.POST, { body: preToolUse(), query: "?timeout=30" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    const blank = await decide(item.id, { approved: false, comment: " " });
    expect(blank.status).toBe(400);
    expect((await decide(item.id, { approved: false, comment: "Use port 9090" })).status).toBe(200);
    const res = await answer;
    expect(res.body.hookSpecificOutput).toEqual({
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: "Rejected by the reviewer: Use port 9090",
    });
  });

  test("request changes: inline comments on the Edit's diff reach the model as readable lines", async () => {
    const answer = call(hook.POST, { body: preToolUse(), query: "?timeout=30" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    const outside = await decide(item.id, {
      approved: false,
      comments: [{ file_path: "config.ts", side: "new", line: 3, body: "x" }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain("config.ts has no new line 3");
    const res0 = await decide(item.id, {
      approved: false,
      comments: [
        { file_path: "config.ts", side: "new", line: 1, body: "Read the port from PORT" },
        { file_path: "config.ts", side: "old", line: 1, body: "keep 3000 as the default" },
      ],
    });
    expect(res0.status).toBe(200);
    const res = await answer;
    expect(res.body.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(res.body.hookSpecificOutput.permissionDecisionReason).toBe(
      'Rejected by the reviewer: Inline comments (file:line (side), where "new" is a line of your change and "old" a line as it was before):\n' +
        "- config.ts:1 (new): Read the port from PORT\n- config.ts:1 (old): keep 3000 as the default",
    );
    const one = await call(oneToolCall.GET, { method: "GET", id: item.id });
    expect(one.body.comments).toHaveLength(2);
  });

  test("PermissionRequest Write: approve → allow; reject → deny with the message", async () => {
    const first = permissionRequest();
    const a = call(hook.POST, { body: first, query: "?timeout=30" });
    const item = await pendingByTitle("/tmp/p/hello.txt");
    expect(item.hook_event).toBe("PermissionRequest");
    const one = await call(oneToolCall.GET, { method: "GET", id: item.id });
    expect(one.body.diff).toBe(`--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1,1 @@\n+hello ${seq}\n`);
    await decide(item.id, { approved: true });
    expect((await a).body).toEqual({
      hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } },
    });

    const b = call(hook.POST, { body: permissionRequest(), query: "?timeout=30" });
    const second = await pendingByTitle("/tmp/p/hello.txt");
    expect(second.id).not.toBe(item.id); // no tool_use_id: a new request each time
    await decide(second.id, { approved: false, comment: "Not in this folder" });
    expect((await b).body).toEqual({
      hookSpecificOutput: {
        hookEventName: "PermissionRequest",
        decision: { behavior: "deny", message: "Rejected by the reviewer: Not in this folder" },
      },
    });
  });

  test("Bash: the title is the command, the description is kept", async () => {
    const body = preToolUse({
      tool_name: "Bash",
      tool_input: { command: "npm test -- --run\necho done", description: "Run the tests" },
    });
    const answer = call(hook.POST, { body, query: "?timeout=30" });
    const item = await pendingByTitle("npm test -- --run …");
    expect(item.description).toBe("Run the tests");
    expect(item.file_path).toBeNull();
    await decide(item.id, { approved: true });
    expect((await answer).body.hookSpecificOutput.permissionDecision).toBe("allow");
  });

  test("nobody answers: deny by default, ask with on_timeout=ask", async () => {
    const t0 = Date.now();
    const denied = await call(hook.POST, { body: preToolUse(), query: "?timeout=1" });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(denied.body.hookSpecificOutput).toEqual({
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: "No reviewer answered within 1 s.",
    });
    const asked = await call(hook.POST, {
      body: preToolUse(),
      query: "?timeout=1&on_timeout=ask",
    });
    expect(asked.body.hookSpecificOutput.permissionDecision).toBe("ask");
    const pr = await call(hook.POST, {
      body: permissionRequest(),
      query: "?timeout=1&on_timeout=ask",
    });
    expect(pr.status).toBe(200);
    expect(pr.body).toEqual({}); // no decision: Claude Code's own dialog continues
    const prDenied = await call(hook.POST, { body: permissionRequest(), query: "?timeout=1" });
    expect(prDenied.body.hookSpecificOutput.decision).toEqual({
      behavior: "deny",
      message: "No reviewer answered within 1 s.",
    });
  });

  test("the same call posted again is the same request, and gets its decision", async () => {
    const body = preToolUse();
    const first = call(hook.POST, { body, query: "?timeout=30" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    // before or after the decision lands, the retry gets the same answer
    const retry = call(hook.POST, { body, query: "?timeout=30" });
    await decide(item.id, { approved: false, comment: "No" });
    const [a, b] = await Promise.all([first, retry]);
    expect(a.body).toEqual(b.body);
    const db = await getDb();
    const rows = await db
      .select()
      .from(toolCallRequests)
      .where(eq(toolCallRequests.toolUseId, body.tool_use_id));
    expect(rows).toHaveLength(1);
    // decided already: a later retry answers at once
    const late = await call(hook.POST, { body, query: "?timeout=30" });
    expect(late.body.hookSpecificOutput.permissionDecision).toBe("deny");
  });

  test("an exact diff from nexus-agent is preferred over the derived one", async () => {
    const exact = "--- a/config.ts\n+++ b/config.ts\n@@ -40,3 +40,3 @@\n a\n-b\n+c\n d\n";
    const answer = call(hook.POST, {
      body: preToolUse({ nexus: { diff: exact } }),
      query: "?timeout=30",
    });
    const item = await pendingByTitle("/tmp/p/config.ts");
    expect(item.diff_exact).toBe(true);
    const one = await call(oneToolCall.GET, { method: "GET", id: item.id });
    expect(one.body.diff).toBe(exact);
    await decide(item.id, { approved: true });
    await answer;
    const blank = await call(hook.POST, { body: preToolUse({ nexus: { diff: "  " } }) });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.map((d: { path: string }) => d.path)).toContain("diff");
  });

  test("clear 400s: unknown event, malformed body, bad query; 401 without a key", async () => {
    const unknown = await call(hook.POST, { body: preToolUse({ hook_event_name: "Stop" }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/PreToolUse and PermissionRequest.*"Stop"/);
    expect((await call(hook.POST, { raw: "{not json" })).status).toBe(400);
    expect((await call(hook.POST, { body: { tool_name: "Edit" } })).status).toBe(400);
    const noInput = await call(hook.POST, { body: preToolUse({ tool_input: "x" }) });
    expect(noInput.status).toBe(400);
    expect(noInput.body.error.details.map((d: { path: string }) => d.path)).toContain("tool_input");
    const noTool = await call(hook.POST, { body: preToolUse({ tool_name: "" }) });
    expect(noTool.status).toBe(400);
    for (const q of ["?timeout=0", "?timeout=abc", "?timeout=99999", "?on_timeout=allow"]) {
      const res = await call(hook.POST, { body: preToolUse(), query: q });
      expect(res.status, q).toBe(400);
    }
    expect((await call(hook.POST, { key: null, body: preToolUse() })).status).toBe(401);
    const get = await call(hook.GET, { method: "GET" });
    expect(get.status).toBe(405);
  });

  test("a bound key submits as its agent; another agent_id is 403", async () => {
    const answer = call(hook.POST, { key: "bound", body: preToolUse(), query: "?timeout=1" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    expect(item.agent_id).toBe("cc-bound");
    await answer;
    const other = await call(hook.POST, {
      key: "bound",
      body: preToolUse(),
      query: "?agent_id=someone-else",
    });
    expect(other.status).toBe(403);
  });

  test("a key cannot approve the tool call it submitted", async () => {
    const answer = call(hook.POST, { key: "rev", body: preToolUse(), query: "?timeout=2" });
    const item = await pendingByTitle("/tmp/p/config.ts");
    expect((await decide(item.id, { approved: true }, "rev")).status).toBe(403);
    expect((await answer).body.hookSpecificOutput.permissionDecision).toBe("deny");
  });

  test("AskUserQuestion: each question is a multiple-choice question; the answers go back", async () => {
    const questions = [
      {
        question: `Which database? ${seq}`,
        header: "Database",
        options: [
          { label: "PostgreSQL", description: "Relational" },
          { label: "SQLite", description: "A file" },
        ],
        multiSelect: false,
      },
      {
        question: `Which extras? ${seq}`,
        header: "Extras",
        options: [
          { label: "Auth", description: "Sign-in" },
          { label: "Logs", description: "Request logs" },
          { label: "Metrics", description: "Charts" },
        ],
        multiSelect: true,
      },
    ];
    const body = preToolUse({ tool_name: "AskUserQuestion", tool_input: { questions } });
    const answer = call(hook.POST, { body, query: "?timeout=30" });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const find = async (text: string): Promise<any> => {
      for (;;) {
        const list = await call(questionsRoute.GET, { method: "GET", query: "?status=pending" });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const q = list.body.items.find((i: any) => i.question === text);
        if (q) return q;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const first = await find(questions[0]!.question);
    expect(first.options).toEqual(["PostgreSQL", "SQLite"]);
    expect(first.context).toMatchObject({ header: "Database", session_id: session });
    const second = await find(questions[1]!.question);
    expect(second.multi_select).toBe(true);
    const r1 = await call(response.POST, {
      key: "rev",
      id: first.id,
      body: { selected: ["PostgreSQL"] },
    });
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    await call(response.POST, {
      key: "rev",
      id: second.id,
      body: { selected: ["Auth", "Logs"], response: "and keep logs 7 days" },
    });
    const res = await answer;
    expect(res.body).toEqual({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "allow",
        permissionDecisionReason: "Answered in Nexus.",
        updatedInput: {
          questions,
          answers: {
            [questions[0]!.question]: "PostgreSQL",
            [questions[1]!.question]: "Auth, Logs: and keep logs 7 days",
          },
        },
      },
    });
    // nobody answers: denied as any tool call
    const late = await call(hook.POST, {
      body: preToolUse({ tool_name: "AskUserQuestion", tool_input: { questions } }),
      query: "?timeout=1",
    });
    expect(late.body.hookSpecificOutput.permissionDecision).toBe("deny");
  });
});
