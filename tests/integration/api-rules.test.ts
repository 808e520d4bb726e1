import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase } from "@/db/client";
import { saveRule } from "@/db/queries/rules";
import { Rule } from "@/lib/rules/rule";
import { request } from "../helpers/api";
import { ensureClaudeCode, hookSettings, runClaude } from "../helpers/claude-code";
import { testDbKind } from "../helpers/db";
import { resultText, startFakeModel, TOOL_USE_ID } from "../helpers/fake-anthropic";
import { freePort } from "../helpers/nexus-agent";
import { baseEnv, runScript } from "../helpers/run";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * Rules as agents meet them, on a real server: an auto-approved change is answered
 * `approved` in the 201 itself, another stays pending; an auto_deny for `rm -rf` denies
 * the real Claude Code CLI's hook call at once, with the rule's message; and (PostgreSQL,
 * several processes) a rule added with the admin CLI is in effect in every server
 * within a second.
 */

let db: TestDatabase;
let server: TestServer;
let agent: string;

const DOCS = { name: "docs", match: { paths: ["docs/**"] }, action: "auto_approve" };
const NO_RM = {
  name: "no-rm-rf",
  match: { tool: "Bash", command: "\\brm\\s+-rf\\b" },
  action: { auto_deny: "rm -rf is never allowed here; delete files one by one" },
};

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent" });
  agent = db.keys.agent!;
  // the rules exist before the server starts (the embedded database admits one process)
  await getDatabase();
  for (const r of [DOCS, NO_RM]) await saveRule(Rule.parse(r), { by: "test" });
  await closeDatabase();
  server = await startServer(await freePort(), db);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

const change = (s: TestServer, path: string, agentId = "agent-1") =>
  request(s, "POST", "/api/v1/approvals", {
    key: agent,
    json: {
      file_path: path,
      diff: `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n`,
      agent_id: agentId,
    },
  });

describe(`rules over HTTP (${testDbKind})`, () => {
  test("docs/** is approved in the 201 itself; src/** stays pending", async () => {
    const docs = await change(server, "docs/guide.md");
    expect(docs.status, docs.text).toBe(201);
    expect(docs.body).toMatchObject({ status: "approved", decided_by: "rule:docs" });
    const src = await change(server, "src/app.ts");
    expect(src.status).toBe(201);
    expect(src.body).toMatchObject({ status: "pending", decided_by: null });
  });

  test("Claude Code's hook call for rm -rf is denied at once with the rule's message", async () => {
    const bin = await ensureClaudeCode();
    const model = await startFakeModel({ name: "Bash", input: { command: "rm -rf build" } });
    const started = Date.now();
    const run = await runClaude({
      bin,
      prompt: "Clean up.",
      modelUrl: model.url,
      settings: hookSettings(`${server.url}/api/v1/integrations/claude-code/hook`, {
        timeout: 60,
      }),
      env: { NEXUS_API_KEY: agent },
    });
    const elapsed = Date.now() - started;
    await model.close();
    try {
      expect(run.code, run.stderr).toBe(0);
      const results = model.toolResults().filter((b) => b.tool_use_id === TOOL_USE_ID);
      expect(results).toHaveLength(1);
      expect(results[0]!.is_error).toBe(true);
      expect(resultText(results[0]!)).toContain(
        'Denied by the Nexus rule "no-rm-rf": rm -rf is never allowed here; delete files one by one',
      );
      expect(run.result.permission_denials).toEqual([
        expect.objectContaining({ tool_name: "Bash", tool_use_id: TOOL_USE_ID }),
      ]);
      // nobody answered: the whole run took far less than the hook's 60 s wait
      console.log(`claude -p with a rule-denied call: ${elapsed} ms in all`);
      expect(elapsed).toBeLessThan(60_000);
      const listed = await request(server, "GET", "/api/v1/tool-calls?status=rejected", {
        key: agent,
      });
      expect(listed.body.items).toEqual([
        expect.objectContaining({ tool_name: "Bash", decided_by: "rule:no-rm-rf" }),
      ]);
    } finally {
      run.cleanup();
    }
  }, 240_000);
});

const onServer = testDbKind === "server" ? describe : describe.skip;

onServer("a rule change reaches every process (PostgreSQL)", () => {
  let other: TestServer;
  beforeAll(async () => {
    other = await startServer(await freePort(), db);
  }, 300_000);
  afterAll(() => other?.stop());

  test("a rule added with the CLI is in effect on both servers within a second", async () => {
    const before = await change(other, "notes/a.md");
    expect(before.body.status).toBe("pending");
    const cli = await runScript(
      "scripts/cli.ts",
      [
        "rule",
        "add",
        "--json",
        JSON.stringify({ name: "notes", match: { paths: ["notes/**"] }, action: "auto_approve" }),
      ],
      baseEnv(db.env),
      90_000,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const added = Date.now();
    for (const s of [server, other]) {
      let status = "pending";
      let n = 0;
      while (status === "pending" && Date.now() - added < 5000) {
        status = (await change(s, `notes/b${n++}.md`)).body.status;
      }
      const after = Date.now() - added;
      console.log(`rule in effect on :${s.port} ${after} ms after the CLI returned`);
      expect(status).toBe("approved");
      expect(after).toBeLessThan(2000); // a NOTIFY: milliseconds; at worst the 1 s re-read, plus a request under load
    }
  }, 300_000);
});
