import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request } from "../helpers/api";
import {
  CLAUDE_CODE_VERSION,
  ensureClaudeCode,
  hookSettings,
  makeProject,
  runClaude,
  type ClaudeRun,
} from "../helpers/claude-code";
import { resultText, startFakeModel, TOOL_USE_ID, type ToolUse } from "../helpers/fake-anthropic";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * The real Claude Code CLI (pinned, installed on demand: tests/helpers/claude-code.ts)
 * against a real Nexus: `claude -p` in a temporary project whose .claude/settings.json
 * registers Nexus's hook URL as docs/agents.md says, a local stand-in for the model API
 * that asks for one tool call, a reviewer deciding through the API. What is asserted is
 * what Claude Code did: the file written or not, the reason the model was given, the
 * denials in its JSON output.
 */

let db: TestDatabase;
let server: TestServer;
let bin: string;
let agentKey: string;
let reviewerKey: string;

beforeAll(async () => {
  [bin, db] = await Promise.all([
    ensureClaudeCode(),
    prepareDatabase({ "claude-hook": "agent", reviewer: "reviewer" }),
  ]);
  agentKey = db.keys["claude-hook"]!;
  reviewerKey = db.keys.reviewer!;
  server = await startServer(3361, db);
  // a fresh server loads each route on its first request: measure a warm one
  await request(server, "POST", "/api/v1/integrations/claude-code/hook", {
    key: agentKey,
    json: {},
  });
  await request(server, "GET", "/api/v1/tool-calls", { key: reviewerKey });
}, 600_000);

/**
 * A pass-through in front of Nexus that notes when each hook request arrives, so the
 * time to the inbox is measured from Claude Code asking, not from Claude Code starting.
 */
let hookArrivals: number[] = [];
let proxyUrl = "";
const proxy = http.createServer((req, res) => {
  hookArrivals.push(Date.now());
  const upstream = http.request(
    `${server.url}${req.url}`,
    { method: req.method, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  req.pipe(upstream);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  proxy.close();
  await server?.stop();
  if (db) await removeDatabase(db);
});

const hookUrl = (query = "") =>
  `${proxyUrl}/api/v1/integrations/claude-code/hook${query ? `?${query}` : ""}`;

interface Scenario {
  /** the key Claude Code sends (default: the agent key) */
  key?: string;
  toolUse: (project: string) => ToolUse;
  events?: string[];
  query?: string;
  args?: string[];
  /** what the reviewer does with the pending request (none: nobody answers) */
  decide?: {
    approved: boolean;
    comment?: string;
    allow_session?: boolean;
    hunks?: { file: string; index: number; accepted: boolean; note?: string }[];
    edits?: { file: string; index: number; new_text: string }[];
  };
  /** checks on the pending request before deciding */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inspect?: (item: any, full: any) => void;
}

/** Run Claude Code through one tool call, deciding in Nexus while it waits. */
async function scenario(s: Scenario) {
  const project = makeProject();
  const toolUse = s.toolUse(project);
  const model = await startFakeModel(toolUse);
  const settings = hookSettings(hookUrl(s.query), { events: s.events, timeout: 60 });
  const run = runClaude({
    bin,
    project,
    prompt: "Do the task.",
    modelUrl: model.url,
    settings,
    env: { NEXUS_API_KEY: s.key ?? agentKey },
    args: s.args,
  });
  let shownAfterMs: number | null = null;
  hookArrivals = [];
  let decidedId: string | null = null;
  let done: ClaudeRun | null = null;
  void run.then((r) => (done = r));
  if (s.decide || s.inspect) {
    // poll the API (reviewer's view) until the tool call is pending
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let item: any = null;
    while (!item && !done) {
      const list = await request(server, "GET", "/api/v1/tool-calls?status=pending", {
        key: reviewerKey,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      item = (list.body as any).items.find((i: any) => i.cwd === project);
      if (!item) await new Promise((r) => setTimeout(r, 25));
    }
    expect(item, "the tool call never showed up in Nexus").toBeTruthy();
    // from Claude Code asking Nexus (the hook request arriving) to the reviewer seeing it
    shownAfterMs = Date.now() - (hookArrivals[0] ?? Date.now());
    const full = await request(server, "GET", `/api/v1/tool-calls/${item.id}`, {
      key: reviewerKey,
    });
    s.inspect?.(item, full.body);
    if (s.decide) {
      const res = await request(server, "POST", `/api/v1/tool-calls/${item.id}/decision`, {
        key: reviewerKey,
        json: s.decide,
      });
      expect(res.status, res.text).toBe(200);
      decidedId = item.id;
    }
  }
  const result = await run;
  await model.close();
  const results = model.toolResults().filter((b) => b.tool_use_id === TOOL_USE_ID);
  return { result, project, shownAfterMs, decidedId, toolResults: results };
}

const write = (name: string, content: string) => (project: string) => ({
  name: "Write",
  input: { file_path: path.join(project, name), content },
});

describe(`Claude Code ${CLAUDE_CODE_VERSION} through Nexus`, () => {
  test("PreToolUse: approve in Nexus → Claude Code writes the file", async () => {
    const r = await scenario({
      toolUse: write("hello.txt", "hello from claude\n"),
      decide: { approved: true, comment: "ok" },
      inspect: (item, full) => {
        expect(item).toMatchObject({ tool_name: "Write", hook_event: "PreToolUse" });
        expect(full.diff).toContain("+++ b/hello.txt");
        expect(full.diff).toContain("+hello from claude");
        expect(full.tool_use_id).toBe(TOOL_USE_ID);
        expect(full.session_id).toBeTruthy();
      },
    });
    try {
      expect(r.result.code, r.result.stderr).toBe(0);
      console.log(`tool call listed in Nexus ${r.shownAfterMs} ms after Claude Code asked`);
      expect(r.shownAfterMs!).toBeLessThan(1000);
      expect(fs.readFileSync(path.join(r.project, "hello.txt"), "utf8")).toBe(
        "hello from claude\n",
      );
      expect(r.result.result.permission_denials).toEqual([]);
    } finally {
      r.result.cleanup();
    }
  });

  test("edit before approve: the reviewer's edit of a Write is what Claude Code writes", async () => {
    const r = await scenario({
      toolUse: write("edited.txt", "one\ntwo\nthree\n"),
      decide: {
        approved: true,
        edits: [{ file: "edited.txt", index: 0, new_text: "one\nTWO (reviewed)\nthree\nfour\n" }],
      },
      inspect: (_item, full) => expect(full.diff).toContain("+++ b/edited.txt"),
    });
    try {
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(fs.readFileSync(path.join(r.project, "edited.txt"), "utf8")).toBe(
        "one\nTWO (reviewed)\nthree\nfour\n",
      );
      expect(r.result.result.permission_denials).toEqual([]);
      const decided = await request(server, "GET", `/api/v1/tool-calls/${r.decidedId}`, {
        key: reviewerKey,
      });
      expect(decided.body).toMatchObject({
        edited: true,
        updated_input: { content: "one\nTWO (reviewed)\nthree\nfour\n" },
      });
    } finally {
      r.result.cleanup();
    }
  });

  test("PreToolUse: reject with a comment → no file; the model reads the comment", async () => {
    const r = await scenario({
      toolUse: write("hello.txt", "hello\n"),
      decide: { approved: false, comment: "Put it in docs/ instead" },
    });
    try {
      expect(fs.existsSync(path.join(r.project, "hello.txt"))).toBe(false);
      expect(r.toolResults).toHaveLength(1);
      expect(r.toolResults[0]!.is_error).toBe(true);
      expect(resultText(r.toolResults[0]!)).toContain("Put it in docs/ instead");
      expect(r.result.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Write", tool_use_id: TOOL_USE_ID }),
      ]);
    } finally {
      r.result.cleanup();
    }
  });

  test("PermissionRequest: approve → written; reject → not, with the reason", async () => {
    const approved = await scenario({
      events: ["PermissionRequest"],
      toolUse: write("a.txt", "a\n"),
      decide: { approved: true },
      inspect: (item) => expect(item.hook_event).toBe("PermissionRequest"),
    });
    try {
      expect(fs.readFileSync(path.join(approved.project, "a.txt"), "utf8")).toBe("a\n");
    } finally {
      approved.result.cleanup();
    }
    const rejected = await scenario({
      events: ["PermissionRequest"],
      toolUse: write("b.txt", "b\n"),
      decide: { approved: false, comment: "No new files today" },
    });
    try {
      expect(fs.existsSync(path.join(rejected.project, "b.txt"))).toBe(false);
      expect(resultText(rejected.toolResults[0]!)).toContain("No new files today");
      expect(rejected.result.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Write" }),
      ]);
    } finally {
      rejected.result.cleanup();
    }
  });

  test("PermissionRequest: allow for this session → Claude Code takes the updatedPermissions and writes", async () => {
    let suggestions: unknown = null;
    const r = await scenario({
      events: ["PermissionRequest"],
      toolUse: write("session.txt", "s\n"),
      decide: { approved: true, allow_session: true },
      inspect: (_item, full) => (suggestions = full.permission_suggestions),
    });
    try {
      // Claude Code sent its own suggestions, kept on the tool call for the reviewer
      expect(
        Array.isArray(suggestions) && suggestions.length > 0,
        JSON.stringify(suggestions),
      ).toBe(true);
      const row = await request(server, "GET", `/api/v1/tool-calls/${r.decidedId}`, {
        key: reviewerKey,
      });
      expect(row.body.allow_session).toBe(true);
      // an answer Claude Code refused would have blocked the call (onFailure: block)
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(fs.readFileSync(path.join(r.project, "session.txt"), "utf8")).toBe("s\n");
      expect(r.result.result.permission_denials).toEqual([]);
    } finally {
      r.result.cleanup();
    }
  });

  test("Bash: the reviewer sees the command and its description", async () => {
    const r = await scenario({
      toolUse: () => ({
        name: "Bash",
        input: { command: "echo checked > bash-ran.txt", description: "Leave a marker file" },
      }),
      decide: { approved: true },
      inspect: (item, full) => {
        expect(item.title).toBe("echo checked > bash-ran.txt");
        expect(item.description).toBe("Leave a marker file");
        expect(full.tool_input.command).toBe("echo checked > bash-ran.txt");
      },
    });
    try {
      expect(fs.readFileSync(path.join(r.project, "bash-ran.txt"), "utf8")).toBe("checked\n");
    } finally {
      r.result.cleanup();
    }
  });

  test("nobody answers: denied after ?timeout, the model is told why", async () => {
    const r = await scenario({ toolUse: write("late.txt", "late\n"), query: "timeout=2" });
    try {
      expect(fs.existsSync(path.join(r.project, "late.txt"))).toBe(false);
      expect(resultText(r.toolResults[0]!)).toContain("No reviewer answered within 2 s");
      expect(r.result.result.permission_denials).toHaveLength(1);
    } finally {
      r.result.cleanup();
    }
  });

  test("a wrong key: Nexus answers 401 and Claude Code blocks the call (onFailure)", async () => {
    const r = await scenario({ key: "nxs_wrong", toolUse: write("nope.txt", "x\n") });
    try {
      expect(fs.existsSync(path.join(r.project, "nope.txt"))).toBe(false);
      expect(resultText(r.toolResults[0]!)).toMatch(/HTTP 401[\s\S]*|blocking because onFailure/);
      expect(r.result.result.permission_denials).toHaveLength(1);
    } finally {
      r.result.cleanup();
    }
  });

  test("both events configured: a call PreToolUse approved is asked once", async () => {
    const r = await scenario({
      events: ["PreToolUse", "PermissionRequest"],
      toolUse: write("once.txt", "once\n"),
      decide: { approved: true },
    });
    try {
      expect(fs.readFileSync(path.join(r.project, "once.txt"), "utf8")).toBe("once\n");
      const all = await request(server, "GET", "/api/v1/tool-calls?limit=200", {
        key: reviewerKey,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const mine = (all.body as any).items.filter((i: any) => i.cwd === r.project);
      expect(mine).toHaveLength(1);
      expect(mine[0].hook_event).toBe("PreToolUse");
    } finally {
      r.result.cleanup();
    }
  });

  test("-p: on_timeout=ask hands the call back to Claude Code, which cannot ask: not run", async () => {
    const project = makeProject();
    const model = await startFakeModel(write("asked.txt", "asked\n")(project));
    const hook = (query: string) => ({
      type: "http",
      url: hookUrl(query),
      headers: { Authorization: "Bearer $NEXUS_API_KEY" },
      allowedEnvVars: ["NEXUS_API_KEY"],
      timeout: 60,
      onFailure: "block",
    });
    const settings = {
      hooks: {
        PreToolUse: [{ matcher: "*", hooks: [hook("timeout=1&on_timeout=ask")] }],
        PermissionRequest: [{ matcher: "*", hooks: [hook("timeout=1")] }],
      },
    };
    const result = await runClaude({
      bin,
      project,
      prompt: "Do the task.",
      modelUrl: model.url,
      settings,
      env: { NEXUS_API_KEY: agentKey },
    });
    await model.close();
    try {
      const all = await request(server, "GET", "/api/v1/tool-calls?limit=200", {
        key: reviewerKey,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const mine = (all.body as any).items.filter((i: any) => i.cwd === project);
      // Claude Code 2.1.328 in -p does not follow an `ask` with the PermissionRequest hook
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expect(mine.map((i: any) => i.hook_event)).toEqual(["PreToolUse"]);
      expect(fs.existsSync(path.join(project, "asked.txt"))).toBe(false);
      expect(result.result.permission_denials).toHaveLength(1);
    } finally {
      result.cleanup();
    }
  });
});
