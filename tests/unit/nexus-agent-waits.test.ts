import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { runCli } from "../helpers/nexus-agent";

/*
 * How `nexus-agent` waits when the server misbehaves, against a small stand-in that
 * answers the submission and then fails on purpose (the real server's outage is in
 * tests/integration/nexus-agent.test.ts: a restart while the CLI waits). What matters:
 * an outage is retried, never read as a decision; every give-up is exit 2 or 3, never 0/1.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, count: number) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function standIn(onGet: Handler, onPost?: Handler) {
  let gets = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST") {
        if (onPost) return onPost(req, res, 0);
        res.writeHead(201, { "content-type": "application/json" });
        return res.end(JSON.stringify(row("pending")));
      }
      onGet(req, res, ++gets);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    env: {
      NEXUS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      NEXUS_API_KEY: "nxs_test",
    },
    gets: () => gets,
  };
}

const ID = "0b5cf0a4-3f0c-4b43-9a4e-0b3c2a0b9d11";
const row = (status: string, extra: Record<string, unknown> = {}) => ({
  id: ID,
  status,
  question: "Q?",
  response: status === "answered" ? "yes" : null,
  expires_at: null,
  url: `http://example.test/questions/${ID}`,
  ...extra,
});

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const unavailable = { error: { code: "service_unavailable", message: "The database is down" } };

describe("nexus-agent: waiting through failures", () => {
  test("503s and dropped connections are retried until the answer comes", async () => {
    const s = await standIn((req, res, n) => {
      if (n === 1) return json(res, 503, unavailable, { "retry-after": "1" });
      if (n === 2) return req.socket.destroy(); // a connection cut mid-request
      if (n === 3) return json(res, 502, { nope: true });
      json(res, 200, row("answered"));
    });
    const r = await runCli(["ask", "Q?", "--id", ID], { env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("yes\n");
    expect(s.gets()).toBe(4);
    expect(r.stderr).toMatch(/retrying/);
  });

  test("--timeout during an outage: exit 2 (still open), not an error", async () => {
    const s = await standIn((req, res) => json(res, 503, unavailable));
    const r = await runCli(["ask", "Q?", "--id", ID, "--timeout", "2"], { env: s.env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("still open");
  });

  test("an outage longer than --retry-for: exit 3, and how to pick the wait up again", async () => {
    const s = await standIn((req) => req.socket.destroy());
    const r = await runCli(["ask", "Q?", "--id", ID, "--retry-for", "2"], { env: s.env });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`--id ${ID}`);
  });

  test("404 while waiting (the request is gone): exit 3", async () => {
    const s = await standIn((req, res) =>
      json(res, 404, { error: { code: "not_found", message: "Question not found." } }),
    );
    const r = await runCli(["ask", "Q?", "--id", ID], { env: s.env });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("no longer exists");
  });

  test("an answer that is not a request, or a redirect, is exit 3: never read as a decision", async () => {
    const odd = await standIn((req, res) => json(res, 200, { items: [] }));
    const r1 = await runCli(["approve", "--diff", "-", "--id", ID], {
      env: odd.env,
      input: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
    });
    expect(r1.code, r1.stderr).toBe(3);
    expect(r1.stderr).toContain("not a request");

    const moved = await standIn(
      (req, res) => json(res, 200, {}),
      (req, res) => {
        res.writeHead(302, { location: "https://nexus.example.test/api/v1/approvals" });
        res.end();
      },
    );
    const r2 = await runCli(["approve", "--diff", "-"], {
      env: moved.env,
      input: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
    });
    expect(r2.code, r2.stderr).toBe(3);
    expect(r2.stderr).toContain("redirects to https://nexus.example.test");
  });

  test("claude-hook: an outage longer than --retry-for is a deny, well before --timeout", async () => {
    const s = await standIn(
      () => {},
      (req, res) => json(res, 503, unavailable),
    );
    const started = Date.now();
    const r = await runCli(["claude-hook", "--retry-for", "2"], {
      env: s.env,
      input: JSON.stringify({
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: "ls" },
      }),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hookSpecificOutput).toMatchObject({
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringContaining("503"),
    });
  });
});
