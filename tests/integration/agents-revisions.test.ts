import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NexusClient } from "@/lib/client";
import { DIFF, request } from "../helpers/api";
import { freePort, startCli } from "../helpers/nexus-agent";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * Request changes and revisions through the agents' own doors against a real `next
 * start`: the MCP SDK's client (a rejection with inline comments comes back as
 * structured comments and as readable lines in the tool's text; a revision sent with
 * `supersedes` links to it) and the nexus-agent CLI (approve --supersedes).
 */

let db: TestDatabase;
let server: TestServer;
let client: Client;

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent", reviewer: "reviewer" });
  server = await startServer(await freePort(), db);
  client = new Client({ name: "nexus-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${db.keys.agent}` } },
    }),
  );
}, 240_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  await server?.stop();
  if (db) await removeDatabase(db);
});

async function pendingId(agentId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await request<{ items: { id: string }[] }>(
      server,
      "GET",
      `/api/v1/approvals?status=pending&agent_id=${agentId}`,
      { key: db.keys.reviewer },
    );
    const id = res.body.items[0]?.id;
    if (id) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending approval from ${agentId}`);
}

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("request_approval with inline comments and revisions", () => {
  test("a rejection with inline comments only; then a revision that supersedes it", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === "request_approval")!;
    expect(Object.keys(tool.inputSchema.properties ?? {})).toContain("supersedes");

    const first = client.callTool({
      name: "request_approval",
      arguments: { file_path: "src/app.ts", diff: DIFF, agent_id: "mcp-rev" },
    });
    const id = await pendingId("mcp-rev");
    const decided = await request(server, "POST", `/api/v1/approvals/${id}/decision`, {
      key: db.keys.reviewer,
      json: {
        approved: false,
        comments: [{ file_path: "src/app.ts", side: "new", line: 2, body: "make it 3" }],
      },
    });
    expect(decided.status).toBe(200);
    const result = (await first) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: "rejected",
      approved: false,
      comment: null,
      comments: [{ file_path: "src/app.ts", side: "new", line: 2, body: "make it 3" }],
      revision: 1,
    });
    expect(text(result)).toContain("- src/app.ts:2 (new): make it 3");
    expect(text(result)).toContain(`supersedes: "${id}"`);

    const second = client.callTool({
      name: "request_approval",
      arguments: {
        file_path: "src/app.ts",
        diff: DIFF.replace("const a = 2;", "const a = 3;"),
        agent_id: "mcp-rev",
        supersedes: id,
      },
    });
    const next = await pendingId("mcp-rev");
    const stored = await request(server, "GET", `/api/v1/approvals/${next}`, {
      key: db.keys.reviewer,
    });
    expect(stored.body).toMatchObject({ supersedes: id, revision: 2 });
    const chain = await request(server, "GET", `/api/v1/approvals/${next}/revisions`, {
      key: db.keys.reviewer,
    });
    expect(chain.body.items.map((i: { id: string }) => i.id)).toEqual([id, next]);
    // the TypeScript client: the chain, and a decision with an inline comment
    const nexus = new NexusClient({ baseUrl: server.url, apiKey: db.keys.reviewer! });
    expect((await nexus.listRevisions(id)).map((a) => [a.id, a.revision])).toEqual([
      [id, 1],
      [next, 2],
    ]);
    const approved = await nexus.decideApproval(next, {
      approved: true,
      comments: [{ file_path: "src/app.ts", side: "new", line: 2, body: "better" }],
    });
    expect(approved.comments).toEqual([
      { file_path: "src/app.ts", side: "new", line: 2, body: "better" },
    ]);
    expect(((await second) as CallToolResult).structuredContent).toMatchObject({
      status: "approved",
      revision: 2,
    });
  });
});

describe("nexus-agent approve --supersedes", () => {
  const env = () => ({
    NEXUS_URL: server.url,
    NEXUS_API_KEY: db.keys.agent!,
    NEXUS_AGENT_ID: "cli-rev",
  });
  const diff = "--- a/lib/x.ts\n+++ b/lib/x.ts\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n";

  test("a rejection prints the inline comments; the revision links to it", async () => {
    const first = startCli(["approve", "--diff", "-"], { env: env(), input: diff });
    const id = await pendingId("cli-rev");
    await request(server, "POST", `/api/v1/approvals/${id}/decision`, {
      key: db.keys.reviewer,
      json: {
        approved: false,
        comment: "Almost.",
        comments: [{ file_path: "lib/x.ts", side: "new", line: 1, body: "B, not b" }],
      },
    });
    const done = await first.done;
    expect(done.code, done.stderr).toBe(1);
    expect(done.stdout).toBe("Almost.\nlib/x.ts:1 (new): B, not b\n");

    const bad = startCli(["approve", "--diff", "-", "--supersedes", "nope"], {
      env: env(),
      input: diff,
    });
    expect((await bad.done).code).toBe(3);

    const second = startCli(["approve", "--diff", "-", "--supersedes", id], {
      env: env(),
      input: diff.replace("+b", "+B"),
    });
    const next = await pendingId("cli-rev");
    const stored = await request(server, "GET", `/api/v1/approvals/${next}`, {
      key: db.keys.reviewer,
    });
    expect(stored.body).toMatchObject({ supersedes: id, revision: 2 });
    await request(server, "POST", `/api/v1/approvals/${next}/decision`, {
      key: db.keys.reviewer,
      json: { approved: true },
    });
    expect((await second.done).code).toBe(0);
  });
});
