import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import { AGENT_SCRIPT, freePort, git, runCli, startCli, tempRepo } from "../helpers/nexus-agent";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";

/*
 * The shell CLI for agents (scripts/nexus-agent.mjs) as a child process against a real
 * server: every exit code, diffs from a real git repository, stdin, a restart of Nexus
 * while the CLI waits, and the copy the server hands out at GET /nexus-agent.mjs.
 */

let db: TestDatabase;
let server: TestServer;
let port: number;
let agent: string;
let reviewer: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await prepareDatabase({ agent: "agent", reviewer: "reviewer" });
  agent = db.keys.agent!;
  reviewer = db.keys.reviewer!;
  port = await freePort();
  server = await startServer(port, db);
  env = { NEXUS_URL: server.url, NEXUS_API_KEY: agent, NEXUS_AGENT_ID: "cli-test-agent" };
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (db) await removeDatabase(db);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The request once the CLI has submitted it (the CLI is given the id with --id). */
async function submitted(segment: "approvals" | "questions", id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server, "GET", `/api/v1/${segment}/${id}`, { key: reviewer });
    if (res.status === 200) return res.body;
    if (Date.now() > until) throw new Error(`${segment}/${id} never arrived: ${res.status}`);
    await sleep(100);
  }
}

function decide(id: string, approved: boolean, comment?: string) {
  return request(server, "POST", `/api/v1/approvals/${id}/decision`, {
    key: reviewer,
    json: { approved, ...(comment ? { comment } : {}) },
  });
}

describe(`nexus-agent CLI (${testDbKind})`, () => {
  test("approve: a multi-file git diff (tracked + untracked), index untouched; approved → exit 0 with the comment", async () => {
    const repo = tempRepo({
      "src/app.ts": "export const port = 3000;\nexport const host = 'a';\n",
    });
    fs.writeFileSync(
      path.join(repo, "src/app.ts"),
      "export const port = 8080;\nexport const host = 'a';\n",
    );
    fs.writeFileSync(path.join(repo, "NEW.md"), "# New\n");
    const statusBefore = git(repo, "status", "--porcelain");
    const id = randomUUID();
    const cli = startCli(
      ["approve", "src/app.ts", "NEW.md", "--id", id, "--description", "Move to 8080"],
      { env, cwd: repo },
    );
    const row = await submitted("approvals", id);
    expect(row.status).toBe("pending");
    expect(row.file_path).toBe("src/app.ts (+1 more)");
    expect(row.description).toBe("Move to 8080");
    expect(row.agent_id).toBe("cli-test-agent");
    // the diff applies in reverse to the working tree: it is exactly HEAD → working tree
    expect(row.diff).toContain("diff --git a/src/app.ts b/src/app.ts");
    expect(row.diff).toContain("-export const port = 3000;\n+export const port = 8080;");
    expect(row.diff).toContain("--- /dev/null\n+++ b/NEW.md\n@@ -0,0 +1 @@\n+# New");
    const patch = path.join(os.tmpdir(), `nexus-agent-${id}.patch`);
    fs.writeFileSync(patch, row.diff);
    git(repo, "apply", "--check", "--reverse", patch);
    expect(git(repo, "status", "--porcelain")).toBe(statusBefore); // NEW.md still untracked
    expect(git(repo, "diff", "--cached")).toBe("");

    expect((await decide(id, true, "Ship it")).status).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("Ship it\n");
    expect(done.stderr).toContain("approved");
  });

  test("approve: rejected → exit 1, the reviewer's reason on stdout", async () => {
    const repo = tempRepo({ "a.txt": "one\n" });
    fs.writeFileSync(path.join(repo, "a.txt"), "two\n");
    const id = randomUUID();
    const cli = startCli(["approve", "a.txt", "--id", id], { env, cwd: repo });
    const row = await submitted("approvals", id);
    expect(row.file_path).toBe("a.txt");
    expect((await decide(id, false, "Keep one: the tests pin it")).status).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(1);
    expect(done.stdout).toBe("Keep one: the tests pin it\n");
  });

  test("approve --diff -: the diff from stdin, file_path from its header", async () => {
    const diff = "--- a/lib/x.ts\n+++ b/lib/x.ts\n@@ -1 +1 @@\n-a\n+b\n";
    const id = randomUUID();
    const cli = startCli(["approve", "--diff", "-", "--id", id], { env, input: diff });
    const row = await submitted("approvals", id);
    expect(row.diff).toBe(diff);
    expect(row.file_path).toBe("lib/x.ts");
    await decide(id, true);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("");
  });

  test("expiry → exit 2; --timeout → exit 2 with the request still open", async () => {
    const diff = "--- a/e.txt\n+++ b/e.txt\n@@ -1 +1 @@\n-a\n+b\n";
    const expired = await runCli(["approve", "--diff", "-", "--expires-in", "1s"], {
      env,
      input: diff,
    });
    expect(expired.code, expired.stderr).toBe(2);
    expect(expired.stderr).toContain("expired");

    const id = randomUUID();
    const timedOut = await runCli(["ask", "Still there?", "--timeout", "1", "--id", id], { env });
    expect(timedOut.code, timedOut.stderr).toBe(2);
    expect(timedOut.stderr).toContain("still open");
    expect((await submitted("questions", id)).status).toBe("pending");
  });

  test("exit 3: usage, configuration, bad key, unreachable server, nothing to approve", async () => {
    const repo = tempRepo({ "a.txt": "one\n" });
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["approve", "--nope"], env, /unknown option --nope/],
      [["frobnicate"], env, /unknown command/],
      [["approve", "a.txt"], { NEXUS_API_KEY: agent }, /NEXUS_URL is not set/],
      [["approve", "a.txt"], env, /nothing to approve/],
      [["approve", "missing.txt"], env, /no such file: missing.txt/],
      [["ask", "Q?"], { ...env, NEXUS_API_KEY: "nxs_wrong" }, /401 unauthorized/],
      [
        ["ask", "Q?", "--retry-for", "1"],
        { ...env, NEXUS_URL: `http://127.0.0.1:${await freePort()}` },
        /cannot reach .*ECONNREFUSED.*giving up/,
      ],
      [["ask", "Q?", "--context-json", "[1]"], env, /must be a JSON object/],
    ];
    for (const [args, e, message] of cases) {
      const r = await runCli(args, { env: e, cwd: repo });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    }
    const outside = await runCli(["approve", "x.txt"], { env, cwd: os.tmpdir() });
    expect(outside.code).toBe(3);
    expect(outside.stderr).toContain("not inside a git repository");
  });

  test("ask: prints the answer, exit 0", async () => {
    const id = randomUUID();
    const cli = startCli(
      ["ask", "Which cache?", "--id", id, "--context-json", '{"options":["redis"]}'],
      { env },
    );
    const row = await submitted("questions", id);
    expect(row.context).toEqual({ options: ["redis"] });
    const res = await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { response: "Redis, with a 60 s TTL" },
    });
    expect(res.status).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("Redis, with a 60 s TTL\n");
  });

  test("ask with options: the chosen labels on stdout, then any typed text", async () => {
    const id = randomUUID();
    const args = ["ask", "Deploy now?", "--option", "Yes", "--option", "After the tests"];
    const cli = startCli([...args, "--option", "No", "--multi", "--id", id], { env });
    const row = await submitted("questions", id);
    expect(row).toMatchObject({
      options: ["Yes", "After the tests", "No"],
      multi_select: true,
      allow_text: true,
    });
    const res = await request(server, "POST", `/api/v1/questions/${id}/response`, {
      key: reviewer,
      json: { selected: ["Yes", "After the tests"], response: "Tell me first" },
    });
    expect(res.status, res.text).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("Yes\nAfter the tests\nTell me first\n");

    const id2 = randomUUID();
    const only = startCli([...args, "--no-text", "--id", id2], { env });
    expect(await submitted("questions", id2)).toMatchObject({
      multi_select: false,
      allow_text: false,
    });
    await request(server, "POST", `/api/v1/questions/${id2}/response`, {
      key: reviewer,
      json: { selected: ["After the tests"] },
    });
    const done2 = await only.done;
    expect(done2.code, done2.stderr).toBe(0);
    expect(done2.stdout).toBe("After the tests\n");

    const few = await runCli(["ask", "Q?", "--option", "Only one"], { env });
    expect(few.code).toBe(3);
    expect(few.stderr).toContain("options");
  });

  test("a Nexus restart while the CLI waits: it picks the same request up and gets the decision", async () => {
    const repo = tempRepo({ "a.txt": "one\n" });
    fs.writeFileSync(path.join(repo, "a.txt"), "two\n");
    const id = randomUUID();
    const cli = startCli(["approve", "a.txt", "--id", id], { env, cwd: repo });
    await submitted("approvals", id);
    await server.stop();
    await sleep(1500); // the CLI meets a closed port at least once
    server = await startServer(port, db);
    expect((await decide(id, true, "After the restart")).status).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("After the restart\n");
    expect(done.stderr).toMatch(/retrying/);
  }, 180_000);

  test("GET /nexus-agent.mjs: the same bytes, text/javascript, ETag revalidation; the saved copy runs", async () => {
    const res = await fetch(`${server.url}/nexus-agent.mjs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(AGENT_SCRIPT))).toBe(true);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${server.url}/nexus-agent.mjs`, {
      headers: { "if-none-match": etag! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/nexus-agent.mjs`, { method: "POST" })).status).toBe(405);
    const head = await fetch(`${server.url}/nexus-agent.mjs`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);

    // saved without an extension, as the install line does, whatever package.json is near
    for (const pkg of [null, { type: "commonjs" }, { type: "module" }]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-agent-install-"));
      if (pkg) fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg));
      const file = path.join(dir, "nexus-agent");
      fs.writeFileSync(file, bytes, { mode: 0o755 });
      const version = await runCli(["--version"], { script: file, cwd: dir });
      expect(version.code, `${JSON.stringify(pkg)}: ${version.stderr}`).toBe(0);
      expect(version.stdout).toMatch(/^nexus-agent \d+\.\d+\.\d+\n$/);
      // and it works for real: an answered question
      const id = randomUUID();
      const cli = startCli(["ask", "Installed?", "--id", id], { env, script: file, cwd: dir });
      await submitted("questions", id);
      await request(server, "POST", `/api/v1/questions/${id}/response`, {
        key: reviewer,
        json: { response: "yes" },
      });
      const done = await cli.done;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toBe("yes\n");
    }
  });

  test("claude-hook: the exact diff reaches the reviewer; a Nexus restart mid-wait is waited out; allow", async () => {
    const repo = tempRepo({ "src/app.ts": "a\nb\nc\nd\ne\nf\ng\nh\n" });
    const hook = {
      session_id: randomUUID(),
      cwd: repo,
      hook_event_name: "PreToolUse",
      tool_name: "Edit",
      tool_input: {
        file_path: path.join(repo, "src/app.ts"),
        old_string: "f\n",
        new_string: "F\n",
      },
      tool_use_id: "toolu_restart_1",
    };
    const cli = startCli(["claude-hook", "--timeout", "120"], {
      env,
      input: JSON.stringify(hook),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let item: any = null;
    for (let i = 0; !item && i < 200; i++) {
      const list = await request(server, "GET", "/api/v1/tool-calls?status=pending", {
        key: reviewer,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      item = (list.body as any)?.items?.find((x: any) => x.cwd === repo);
      if (!item) await sleep(100);
    }
    expect(item, cli.stderr()).toBeTruthy();
    const full = await request(server, "GET", `/api/v1/tool-calls/${item.id}`, { key: reviewer });
    expect(full.body.diff).toBe(
      "diff --git a/src/app.ts b/src/app.ts\n--- a/src/app.ts\n+++ b/src/app.ts\n" +
        "@@ -3,6 +3,6 @@\n c\n d\n e\n-f\n+F\n g\n h\n",
    );
    await server.stop();
    await sleep(1500);
    server = await startServer(port, db);
    const res = await request(server, "POST", `/api/v1/tool-calls/${item.id}/decision`, {
      key: reviewer,
      json: { approved: true },
    });
    expect(res.status, res.text).toBe(200);
    const done = await cli.done;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).hookSpecificOutput).toMatchObject({
      hookEventName: "PreToolUse",
      permissionDecision: "allow",
    });
  }, 180_000);

  test("claude-hook: nobody answers → deny (or ask with --on-timeout ask)", async () => {
    const hook = (n: number) =>
      JSON.stringify({
        session_id: randomUUID(),
        cwd: os.tmpdir(),
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: `echo ${n}` },
        tool_use_id: `toolu_timeout_${n}`,
      });
    const denied = await runCli(["claude-hook", "--timeout", "1"], { env, input: hook(1) });
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout).hookSpecificOutput).toMatchObject({
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringContaining("1 s"),
    });
    const asked = await runCli(["claude-hook", "--timeout", "1", "--on-timeout", "ask"], {
      env,
      input: hook(2),
    });
    expect(JSON.parse(asked.stdout).hookSpecificOutput.permissionDecision).toBe("ask");
  });

  test("claude-hook fails closed: Nexus unreachable, bad input, bad options → a deny answer, exit 0", async () => {
    const down = { ...env, NEXUS_URL: `http://127.0.0.1:${await freePort()}` };
    const edit = {
      session_id: "s1",
      cwd: os.tmpdir(),
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "rm -rf build" },
      tool_use_id: "toolu_1",
    };
    const r1 = await runCli(["claude-hook", "--timeout", "2"], {
      env: down,
      input: JSON.stringify(edit),
    });
    expect(r1.code).toBe(0);
    const a1 = JSON.parse(r1.stdout);
    expect(a1.hookSpecificOutput.hookEventName).toBe("PreToolUse");
    expect(a1.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(a1.hookSpecificOutput.permissionDecisionReason).toMatch(/cannot reach/);

    const r3 = await runCli(["claude-hook", "--timeout", "2"], {
      env: down,
      input: JSON.stringify({ ...edit, hook_event_name: "PermissionRequest" }),
    });
    expect(r3.code).toBe(0);
    expect(JSON.parse(r3.stdout).hookSpecificOutput).toMatchObject({
      hookEventName: "PermissionRequest",
      decision: { behavior: "deny" },
    });

    for (const [args, input] of [
      [["claude-hook"], "not json"],
      [["claude-hook", "--on-timeout", "allow"], JSON.stringify(edit)],
      [["claude-hook", "--bogus"], JSON.stringify(edit)],
    ] as const) {
      const r = await runCli([...args], { env, input });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision).toBe("deny");
    }
    const noKey = await runCli(["claude-hook"], {
      env: { NEXUS_URL: server.url },
      input: JSON.stringify(edit),
    });
    expect(JSON.parse(noKey.stdout).hookSpecificOutput.permissionDecision).toBe("deny");
  });
});
