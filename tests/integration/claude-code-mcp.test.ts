import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request } from "../helpers/api";
import {
  CLAUDE_CODE_VERSION,
  ensureClaudeCode,
  makeProject,
  runClaude,
} from "../helpers/claude-code";
import { resultText, startFakeModel, TOOL_USE_ID } from "../helpers/fake-anthropic";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * The real Claude Code CLI with --permission-prompt-tool mcp__nexus__permission_prompt
 * and Nexus's MCP server in --mcp-config, exactly as docs/agents.md shows: the Write it
 * would ask the user about becomes a tool call in Nexus; the reviewer's decision is what
 * Claude Code does.
 */

let db: TestDatabase;
let server: TestServer;
let bin: string;
let agentKey: string;
let reviewerKey: string;

beforeAll(async () => {
  [bin, db] = await Promise.all([
    ensureClaudeCode(),
    prepareDatabase({ "claude-mcp": "agent", reviewer: "reviewer" }),
  ]);
  agentKey = db.keys["claude-mcp"]!;
  reviewerKey = db.keys.reviewer!;
  server = await startServer(3372, db);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

/** Claude Code asked to Write `name`; the reviewer decides the permission prompt in Nexus. */
async function writeThroughPrompt(name: string, decide: { approved: boolean; comment?: string }) {
  const project = makeProject();
  const filePath = path.join(project, name);
  const model = await startFakeModel({
    name: "Write",
    input: { file_path: filePath, content: "hello from claude\n" },
  });
  const mcpConfig = {
    mcpServers: {
      nexus: {
        type: "http",
        url: `${server.url}/api/v1/mcp`,
        headers: { Authorization: `Bearer ${agentKey}` },
      },
    },
  };
  const run = runClaude({
    bin,
    project,
    prompt: "Write the file.",
    modelUrl: model.url,
    settings: {},
    args: [
      "--mcp-config",
      JSON.stringify(mcpConfig),
      "--permission-prompt-tool",
      "mcp__nexus__permission_prompt",
    ],
  });
  let finished = false;
  void run.then(() => (finished = true));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let item: any = null;
  while (!item && !finished) {
    const list = await request(server, "GET", "/api/v1/tool-calls?status=pending", {
      key: reviewerKey,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    item = (list.body as any).items.find((i: any) => i.file_path === filePath);
    if (!item) await new Promise((r) => setTimeout(r, 50));
  }
  expect(item, "the permission prompt never showed up in Nexus").toBeTruthy();
  const full = await request(server, "GET", `/api/v1/tool-calls/${item.id}`, { key: reviewerKey });
  const decided = await request(server, "POST", `/api/v1/tool-calls/${item.id}/decision`, {
    key: reviewerKey,
    json: decide,
  });
  expect(decided.status, decided.text).toBe(200);
  const result = await run;
  await model.close();
  const toolResults = model.toolResults().filter((b) => b.tool_use_id === TOOL_USE_ID);
  return { result, item, full: full.body, filePath, toolResults };
}

describe(`Claude Code ${CLAUDE_CODE_VERSION}: --permission-prompt-tool through the MCP server`, () => {
  test("approve in Nexus → Claude Code writes the file", async () => {
    const r = await writeThroughPrompt("hello.txt", { approved: true });
    try {
      expect(r.item).toMatchObject({
        tool_name: "Write",
        agent_id: "claude-code",
        submitted_by: "key:claude-mcp",
      });
      expect(r.full.diff).toContain("+hello from claude");
      expect(r.full.tool_use_id).toBe(TOOL_USE_ID);
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(fs.readFileSync(r.filePath, "utf8")).toBe("hello from claude\n");
      expect(r.result.result.permission_denials).toEqual([]);
    } finally {
      r.result.cleanup();
    }
  });

  test("reject with a comment → no file; the model reads the comment", async () => {
    const r = await writeThroughPrompt("nope.txt", {
      approved: false,
      comment: "Write it under docs/ instead",
    });
    try {
      expect(fs.existsSync(r.filePath)).toBe(false);
      expect(r.toolResults).toHaveLength(1);
      expect(resultText(r.toolResults[0]!)).toContain("Write it under docs/ instead");
      expect(r.result.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Write", tool_use_id: TOOL_USE_ID }),
      ]);
    } finally {
      r.result.cleanup();
    }
  });
});
