import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { DIFF, request } from "../helpers/api";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * The MCP server at /api/v1/mcp through the MCP SDK's own client (Streamable HTTP)
 * against a real `next start`: tools listed and called, decided by a reviewer over the
 * API, progress while waiting, errors as tool errors, and the API's authentication.
 */

let db: TestDatabase;
let server: TestServer;
let agent: string;
let reviewer: string;
let bound: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent", reviewer: "reviewer", limited: "agent" });
  agent = db.keys.agent!;
  reviewer = db.keys.reviewer!;
  // a key bound to one agent_id (prepareDatabase makes unbound keys only)
  await getDatabase();
  bound = (await createApiKey({ name: "bound", role: "agent", agentId: "builder" })).key;
  await closeDatabase();
  // two waits per key at a time: every test below holds at most two
  server = await startServer(3371, db, { NEXUS_MAX_WAITS_PER_PRINCIPAL: "2" });
}, 240_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await server?.stop();
  if (db) await removeDatabase(db);
});

async function connect(key: string, query = "") {
  const client = new Client({ name: "nexus-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/mcp${query}`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** The pending request of `kind` from `agentId`, once it shows up in the API's list. */
async function pendingId(segment: "approvals" | "questions", agentId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await request<{ items: { id: string }[] }>(
      server,
      "GET",
      `/api/v1/${segment}?status=pending&agent_id=${agentId}`,
      { key: reviewer },
    );
    const id = res.body.items[0]?.id;
    if (id) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending ${segment} from ${agentId}`);
}

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("tools", () => {
  test("lists the tools with their input schemas", async () => {
    const client = await connect(agent);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(["ask_question", "permission_prompt", "request_approval"]);
    const approval = tools.find((t) => t.name === "request_approval")!;
    expect(approval.inputSchema.required).toEqual(expect.arrayContaining(["file_path", "diff"]));
    expect(Object.keys(approval.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["description", "agent_id", "timeout_s"]),
    );
  });

  test("request_approval waits for the reviewer's approval, with progress", async () => {
    const client = await connect(agent);
    const progress: Progress[] = [];
    const call = client.callTool(
      {
        name: "request_approval",
        arguments: {
          file_path: "src/app.ts",
          diff: DIFF,
          description: "bump a",
          agent_id: "mcp-a",
        },
      },
      undefined,
      { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 20_000 },
    );
    const id = await pendingId("approvals", "mcp-a");
    // the diff reached Nexus as submitted
    const stored = await request(server, "GET", `/api/v1/approvals/${id}`, { key: reviewer });
    expect(stored.body.diff).toBe(DIFF);
    expect(stored.body.submitted_by).toBe("key:agent");
    // keep the tool waiting past one progress interval (10 s)
    await new Promise((r) => setTimeout(r, 11_000));
    const decided = await request(server, "POST", `/api/v1/approvals/${id}/decision`, {
      key: reviewer,
      json: { approved: true, comment: "ship it" },
    });
    expect(decided.status).toBe(200);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      id,
      status: "approved",
      approved: true,
      comment: "ship it",
      decided_by: "key:reviewer",
    });
    expect(text(result)).toContain("Approved by key:reviewer");
    expect(text(result)).toContain("ship it");
    // one at once, one after the first interval; increasing, with the page to open
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[1]!.progress).toBeGreaterThan(progress[0]!.progress);
    expect(progress[0]!.message).toContain(`/approvals/${id}`);
  }, 40_000);

  test("request_approval returns a rejection with the reviewer's comment", async () => {
    const client = await connect(agent);
    const call = client.callTool({
      name: "request_approval",
      arguments: { file_path: "src/app.ts", diff: DIFF, agent_id: "mcp-r" },
    });
    const id = await pendingId("approvals", "mcp-r");
    await request(server, "POST", `/api/v1/approvals/${id}/decision`, {
      key: reviewer,
      json: { approved: false, comment: "use port 9090" },
    });
    const result = (await call) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: "rejected", approved: false });
    expect(text(result)).toContain("use port 9090");
  });

  test("request_approval approved in part returns the hunks and the applied diff", async () => {
    const twoHunks = [
      "--- a/src/two.ts",
      "+++ b/src/two.ts",
      "@@ -1,2 +1,2 @@",
      "-a",
      "+A",
      " b",
      "@@ -10,2 +10,2 @@",
      " j",
      "-k",
      "+K",
      "",
    ].join("\n");
    const client = await connect(agent);
    const call = client.callTool({
      name: "request_approval",
      arguments: { file_path: "src/two.ts", diff: twoHunks, agent_id: "mcp-p" },
    });
    const id = await pendingId("approvals", "mcp-p");
    await request(server, "POST", `/api/v1/approvals/${id}/decision`, {
      key: reviewer,
      json: {
        approved: true,
        hunks: [{ file: "src/two.ts", index: 1, accepted: false, note: "keep k" }],
      },
    });
    const result = (await call) as CallToolResult;
    const applied = "--- a/src/two.ts\n+++ b/src/two.ts\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n";
    expect(result.structuredContent).toMatchObject({
      status: "approved",
      partial: true,
      edited: false,
      applied_diff: applied,
      hunks: [
        { file: "src/two.ts", index: 0, accepted: true, note: null },
        { file: "src/two.ts", index: 1, accepted: false, note: "keep k" },
      ],
    });
    expect(text(result)).toContain("Approved in part: 1 of 2 hunks accepted");
    expect(text(result)).toContain("src/two.ts hunk 1 (@@ -10,2 +10,2 @@): rejected — keep k");
    expect(text(result)).toContain(applied);
  });

  test("ask_question returns the answer", async () => {
    const client = await connect(agent);
    const call = client.callTool({
      name: "ask_question",
      arguments: { question: "Which port?", context: { tried: [3000] }, agent_id: "mcp-q" },
    });
    const id = await pendingId("questions", "mcp-q");
    const stored = await request(server, "GET", `/api/v1/questions/${id}`, { key: reviewer });
    expect(stored.body.context).toEqual({ tried: [3000] });
    await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { response: "  8080 " },
    });
    const result = (await call) as CallToolResult;
    expect(text(result)).toBe("8080");
    expect(result.structuredContent).toMatchObject({
      id,
      status: "answered",
      response: "8080",
      responded_by: "key:reviewer",
    });
  });

  test("ask_question with options: the reviewer picks one, the tool returns it", async () => {
    const client = await connect(agent);
    const call = client.callTool({
      name: "ask_question",
      arguments: {
        question: "Which port?",
        options: ["8080", "9090"],
        allow_text: false,
        agent_id: "mcp-o",
      },
    });
    const id = await pendingId("questions", "mcp-o");
    const stored = await request(server, "GET", `/api/v1/questions/${id}`, { key: reviewer });
    expect(stored.body).toMatchObject({ options: ["8080", "9090"], allow_text: false });
    const answered = await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { selected: ["9090"] },
    });
    expect(answered.status, answered.text).toBe(200);
    const result = (await call) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: "answered", selected: ["9090"] });
    expect(text(result)).toBe("Chosen: 9090");
    const bad = (await client.callTool({
      name: "ask_question",
      arguments: { question: "One?", options: ["only"] },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/at least 2/);
  });

  test("permission_prompt answers Claude Code's contract: one text block of JSON", async () => {
    const client = await connect(agent);
    const input = { command: "rm -rf build", description: "clean" };
    const ask = () =>
      client.callTool({
        name: "permission_prompt",
        arguments: { tool_name: "Bash", input, tool_use_id: "toolu_1" },
      }) as Promise<CallToolResult>;
    const decideNext = async (decision: { approved: boolean; comment?: string }) => {
      let id: string | undefined;
      while (!id) {
        const list = await request<{ items: { id: string }[] }>(
          server,
          "GET",
          "/api/v1/tool-calls?status=pending&agent_id=claude-code",
          { key: reviewer },
        );
        id = list.body.items[0]?.id;
        if (!id) await new Promise((r) => setTimeout(r, 100));
      }
      await request(server, "POST", `/api/v1/tool-calls/${id}/decision`, {
        key: reviewer,
        json: decision,
      });
    };
    const allowed = ask();
    await decideNext({ approved: true });
    const a = await allowed;
    expect(a.content).toHaveLength(1);
    expect(JSON.parse(text(a))).toEqual({ behavior: "allow", updatedInput: input });
    const denied = ask();
    await decideNext({ approved: false, comment: "not the build folder" });
    const d = JSON.parse(text(await denied));
    expect(d.behavior).toBe("deny");
    expect(d.message).toContain("not the build folder");
  });

  test("the wait is bounded: timeout_s expires the request (fail closed)", async () => {
    const client = await connect(agent);
    const started = Date.now();
    const result = (await client.callTool({
      name: "request_approval",
      arguments: { file_path: "a.ts", diff: DIFF, agent_id: "mcp-t", timeout_s: 1 },
    })) as CallToolResult;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.structuredContent).toMatchObject({ status: "expired", approved: false });
    expect(text(result)).toContain("No reviewer answered within 1 s");
    const list = await request(server, "GET", `/api/v1/approvals?agent_id=mcp-t`, { key: agent });
    expect(list.body.items[0].status).toBe("expired");
  });

  test("the URL's ?timeout= is the default wait", async () => {
    const client = await connect(agent, "?timeout=1");
    const result = (await client.callTool({
      name: "ask_question",
      arguments: { question: "Anyone?", agent_id: "mcp-u" },
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: "expired" });
  });

  test("calling again with the same id resumes the same request", async () => {
    const client = await connect(agent);
    const id = crypto.randomUUID();
    const args = { id, question: "Retry?", agent_id: "mcp-i", timeout_s: 30 };
    const first = client.callTool({ name: "ask_question", arguments: args });
    expect(await pendingId("questions", "mcp-i")).toBe(id);
    const second = client.callTool({ name: "ask_question", arguments: args });
    await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { response: "yes" },
    });
    for (const r of (await Promise.all([first, second])) as CallToolResult[])
      expect(r.structuredContent).toMatchObject({ id, status: "answered", response: "yes" });
  });
});

describe("validation and keys", () => {
  test("bad arguments are tool errors with the API's words, never a 5xx", async () => {
    const client = await connect(agent);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ file_path: "a.ts", diff: "   " }, /diff must not be blank/],
      [{ file_path: "", diff: DIFF }, /file_path must not be empty/],
      [{ file_path: "a.ts", diff: DIFF, description: "x".repeat(65_537) }, /at most 65,536/],
      [{ file_path: "a\u0000.ts", diff: DIFF }, /NUL/],
      [{ file_path: "a.ts", diff: DIFF, timeout_s: 0 }, /timeout_s must be at least 1/],
      [{ file_path: "a.ts" }, /diff/],
    ];
    for (const [args, message] of cases) {
      const result = (await client.callTool({
        name: "request_approval",
        arguments: args,
      })) as CallToolResult;
      expect(result.isError, JSON.stringify(args).slice(0, 80)).toBe(true);
      expect(text(result)).toMatch(message);
    }
    const q = (await client.callTool({
      name: "ask_question",
      arguments: { question: "x", context: "not an object" },
    })) as CallToolResult;
    expect(q.isError).toBe(true);
  });

  test("a key bound to an agent_id submits as it by default, and only as it", async () => {
    const client = await connect(bound);
    const call = client.callTool({ name: "ask_question", arguments: { question: "Bound?" } });
    const id = await pendingId("questions", "builder");
    await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { response: "ok" },
    });
    expect(((await call) as CallToolResult).structuredContent).toMatchObject({ id });
    const other = (await client.callTool({
      name: "ask_question",
      arguments: { question: "As someone else?", agent_id: "intruder" },
    })) as CallToolResult;
    expect(other.isError).toBe(true);
    expect(text(other)).toContain('bound to agent_id "builder"');
  });

  test("a key holds at most NEXUS_MAX_WAITS_PER_PRINCIPAL waits; one more is refused before it is submitted", async () => {
    const client = await connect(db.keys.limited!);
    const ask = (n: number) =>
      client.callTool({
        name: "ask_question",
        arguments: { question: `Q${n}`, agent_id: "mcp-limit", timeout_s: 30 },
      }) as Promise<CallToolResult>;
    const waiting = [ask(1), ask(2)];
    const list = async () =>
      (
        await request<{ items: { id: string }[] }>(
          server,
          "GET",
          "/api/v1/questions?status=pending&agent_id=mcp-limit",
          { key: reviewer },
        )
      ).body.items;
    while ((await list()).length < 2) await new Promise((r) => setTimeout(r, 100));
    const third = await ask(3);
    expect(third.isError).toBe(true);
    expect(text(third)).toMatch(/Too many/);
    expect(await list()).toHaveLength(2); // nothing submitted for the refused call
    for (const { id } of await list())
      await request(server, "POST", `/api/v1/questions/${id}/response`, {
        key: reviewer,
        json: { response: "done" },
      });
    for (const r of await Promise.all(waiting))
      expect(r.structuredContent).toMatchObject({ status: "answered" });
  });

  test("a wrong key is a 401 with WWW-Authenticate, before anything MCP", async () => {
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      },
    };
    const headers = { Accept: "application/json, text/event-stream" };
    for (const key of ["nxs_wrong", null]) {
      const res = await request(server, "POST", "/api/v1/mcp", { key, json: init, headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.body.error.code).toBe("unauthorized");
    }
    await expect(connect("nxs_wrong")).rejects.toThrow(/401|nauthorized/);
  });

  test("other methods: 405 JSON; a broken body: 400 JSON", async () => {
    const get = await request(server, "GET", "/api/v1/mcp", {
      key: agent,
      headers: { Accept: "text/event-stream" },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.body.error.code).toBe("method_not_allowed");
    const broken = await request(server, "POST", "/api/v1/mcp", {
      key: agent,
      body: "{nope",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_request");
    const badTimeout = await request(server, "POST", "/api/v1/mcp?timeout=0", {
      key: agent,
      json: {},
    });
    expect(badTimeout.status).toBe(400);
  });
});
