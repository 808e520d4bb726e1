import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request } from "../helpers/api";
import {
  CLAUDE_CODE_VERSION,
  ensureClaudeCode,
  makeProject,
  runClaude,
} from "../helpers/claude-code";
import { resultText, startFakeModel, TOOL_USE_ID, type ToolUse } from "../helpers/fake-anthropic";
import { freePort } from "../helpers/nexus-agent";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * `nexus-agent claude-hook` as the real Claude Code CLI runs it: a "type": "command"
 * PreToolUse hook, configured as docs/agents.md shows, running the copy of the script
 * downloaded from GET /nexus-agent.mjs. The reviewer sees the exact diff; approving lets
 * Claude Code edit; rejecting keeps the file and tells the model why; with Nexus down the
 * call is denied (fail closed).
 */

let db: TestDatabase;
let server: TestServer;
let bin: string;
let agentKey: string;
let reviewerKey: string;
let script: string;

beforeAll(async () => {
  [bin, db] = await Promise.all([
    ensureClaudeCode(),
    prepareDatabase({ "cli-hook": "agent", reviewer: "reviewer" }),
  ]);
  agentKey = db.keys["cli-hook"]!;
  reviewerKey = db.keys.reviewer!;
  server = await startServer(await freePort(), db);
  // installed the way docs/agents.md says: curl -fsSL $NEXUS_URL/nexus-agent.mjs -o nexus-agent
  const res = await fetch(`${server.url}/nexus-agent.mjs`);
  expect(res.status).toBe(200);
  script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nexus-agent-bin-")), "nexus-agent");
  fs.writeFileSync(script, Buffer.from(await res.arrayBuffer()), { mode: 0o755 });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

/** .claude/settings.json with the command hook, as docs/agents.md has it. */
const settings = (args = "--timeout 60") => ({
  hooks: {
    PreToolUse: [
      {
        matcher: "*",
        hooks: [
          {
            type: "command",
            command: `${script} claude-hook ${args}`,
            timeout: 90,
            onFailure: "block",
          },
        ],
      },
    ],
  },
});

const CONFIG = Array.from({ length: 12 }, (_, i) => `export const setting${i + 1} = ${i + 1};\n`)
  .join("")
  .replace("setting8 = 8", "port = 3000");

async function scenario({
  toolUse,
  files = {},
  env,
  decide,
}: {
  toolUse: (project: string) => ToolUse;
  files?: Record<string, string>;
  env?: Record<string, string>;
  decide?: { approved: boolean; comment?: string };
}) {
  const project = makeProject();
  const model = await startFakeModel(toolUse(project));
  const run = runClaude({
    bin,
    project,
    files,
    prompt: "Do the task.",
    modelUrl: model.url,
    settings: settings(env ? "--timeout 60 --retry-for 1" : undefined),
    env: env ?? { NEXUS_URL: server.url, NEXUS_API_KEY: agentKey },
    // edits need no permission: only the hook stands between the model and the file
    args: ["--permission-mode", "acceptEdits"],
  });
  let finished = false;
  void run.then(() => (finished = true));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let full: any = null;
  if (decide) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let item: any = null;
    while (!item && !finished) {
      const list = await request(server, "GET", "/api/v1/tool-calls?status=pending", {
        key: reviewerKey,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      item = (list.body as any)?.items?.find((i: any) => i.cwd === project);
      if (!item) await new Promise((r) => setTimeout(r, 50));
    }
    expect(item, "the tool call never showed up in Nexus").toBeTruthy();
    full = (await request(server, "GET", `/api/v1/tool-calls/${item.id}`, { key: reviewerKey }))
      .body;
    const res = await request(server, "POST", `/api/v1/tool-calls/${item.id}/decision`, {
      key: reviewerKey,
      json: decide,
    });
    expect(res.status, res.text).toBe(200);
  }
  const result = await run;
  await model.close();
  const toolResults = model.toolResults().filter((b) => b.tool_use_id === TOOL_USE_ID);
  return { result, project, full, toolResults };
}

describe(`Claude Code ${CLAUDE_CODE_VERSION} with nexus-agent claude-hook (command hook)`, () => {
  test("Edit, approved: the reviewer saw the exact diff with real line numbers; the file is edited", async () => {
    const r = await scenario({
      files: { "src/config.ts": CONFIG },
      toolUse: (project) => ({
        name: "Edit",
        input: {
          file_path: path.join(project, "src/config.ts"),
          old_string: "export const port = 3000;",
          new_string: "export const port = 8080;",
        },
      }),
      decide: { approved: true, comment: "ok" },
    });
    try {
      expect(r.full.diff).toBe(
        [
          "diff --git a/src/config.ts b/src/config.ts",
          "--- a/src/config.ts",
          "+++ b/src/config.ts",
          "@@ -5,7 +5,7 @@",
          " export const setting5 = 5;",
          " export const setting6 = 6;",
          " export const setting7 = 7;",
          "-export const port = 3000;",
          "+export const port = 8080;",
          " export const setting9 = 9;",
          " export const setting10 = 10;",
          " export const setting11 = 11;",
          "",
        ].join("\n"),
      );
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(fs.readFileSync(path.join(r.project, "src/config.ts"), "utf8")).toBe(
        CONFIG.replace("port = 3000", "port = 8080"),
      );
      expect(r.result.result.permission_denials).toEqual([]);
    } finally {
      r.result.cleanup();
    }
  });

  test("Write, rejected: no file; the model reads the reviewer's comment", async () => {
    const r = await scenario({
      toolUse: (project) => ({
        name: "Write",
        input: { file_path: path.join(project, "notes.md"), content: "# Notes\n" },
      }),
      decide: { approved: false, comment: "Put notes in docs/ instead" },
    });
    try {
      expect(r.full.diff).toContain("--- /dev/null\n+++ b/notes.md\n@@ -0,0 +1,1 @@\n+# Notes");
      expect(fs.existsSync(path.join(r.project, "notes.md"))).toBe(false);
      expect(r.toolResults).toHaveLength(1);
      expect(r.toolResults[0]!.is_error).toBe(true);
      expect(resultText(r.toolResults[0]!)).toContain("Put notes in docs/ instead");
      expect(r.result.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Write", tool_use_id: TOOL_USE_ID }),
      ]);
    } finally {
      r.result.cleanup();
    }
  });

  test("Nexus down: the call is denied (fail closed), the model is told why", async () => {
    const r = await scenario({
      toolUse: (project) => ({
        name: "Write",
        input: { file_path: path.join(project, "x.txt"), content: "x\n" },
      }),
      env: { NEXUS_URL: `http://127.0.0.1:${await freePort()}`, NEXUS_API_KEY: agentKey },
    });
    try {
      expect(fs.existsSync(path.join(r.project, "x.txt"))).toBe(false);
      expect(resultText(r.toolResults[0]!)).toMatch(/denied: cannot reach .*ECONNREFUSED/);
      expect(r.result.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Write" }),
      ]);
    } finally {
      r.result.cleanup();
    }
  });
});
