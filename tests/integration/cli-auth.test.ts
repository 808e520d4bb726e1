import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/db/client";
import { verifyApiKey } from "@/db/queries/api-keys";
import { listUsers } from "@/db/queries/users";
import { principalFromHeaders } from "@/server/auth/session";
import { handleAuthRequest } from "@/server/auth/handler";
import { dropTestDatabase, freshTestConfig, testDbKind } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";
import type { DbConfig } from "@/lib/env";

/*
 * The admin CLI as an operator runs it: separate processes on the configured database
 * (embedded folder, or a PostgreSQL server with NEXUS_TEST_DB=server). The test
 * process opens the same database only between commands (PGlite allows one process).
 */
let config: DbConfig;
let env: Record<string, string | undefined>;

beforeAll(() => {
  config = freshTestConfig();
  env =
    config.kind === "embedded"
      ? baseEnv({ NEXUS_DATA_DIR: config.dataDir })
      : baseEnv({ DATABASE_URL: config.url });
});
afterAll(async () => {
  await closeDatabase();
  await dropTestDatabase(config);
});

const nexus = (...args: string[]) => runScript("scripts/cli.ts", args, env, 90_000);

/** Run `fn` with this process holding the database, then let go of it. */
async function withDatabase<T>(fn: () => Promise<T>): Promise<T> {
  await getDatabase();
  try {
    return await fn();
  } finally {
    await closeDatabase();
  }
}

// Each command is a fresh process (tsx + database start): slow on a loaded machine.
describe(`admin CLI (${testDbKind})`, { timeout: 300_000 }, () => {
  it("rejects bad input with one line and exit code 1", async () => {
    const cases: [string[], string][] = [
      [
        ["user", "create", "--email", "nope", "--password", "long-enough", "--role", "admin"],
        "nexus: --email: Enter a valid email address, like name@example.com",
      ],
      [
        ["user", "create", "--email", "a@example.com", "--password", "short", "--role", "admin"],
        "nexus: --password: Password must be at least 8 characters",
      ],
      [
        [
          "user",
          "create",
          "--email",
          "a@example.com",
          "--password",
          "long-enough",
          "--role",
          "boss",
        ],
        'nexus: --role must be one of admin, reviewer, viewer; got "boss"',
      ],
      [
        ["key", "create", "--name", "ci", "--role", "admin"],
        'nexus: --role must be one of agent, reviewer; got "admin"',
      ],
      [["key", "create", "--role", "agent"], "nexus: missing --name"],
    ];
    const results = await Promise.all(cases.map(([args]) => nexus(...args)));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim()).toBe(cases[i]![1]);
    });
  });

  it("creates and lists users who can then sign in", async () => {
    const created = await nexus(
      "user",
      "create",
      "--email",
      "Ops@Example.com",
      "--password",
      "ops-password",
      "--role",
      "admin",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("created user ops@example.com (admin)");

    const dup = await nexus(
      "user",
      "create",
      "--email",
      "ops@example.com",
      "--password",
      "ops-password",
      "--role",
      "viewer",
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe("nexus: A user with the email ops@example.com already exists");

    const list = await nexus("user", "list");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ops@example\.com\s+admin/);

    await withDatabase(async () => {
      expect((await listUsers()).map((u) => [u.email, u.role])).toEqual([
        ["ops@example.com", "admin"],
      ]);
      const res = await handleAuthRequest(
        new Request("http://localhost:3000/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000" },
          body: JSON.stringify({ email: "ops@example.com", password: "ops-password" }),
        }),
      );
      expect(res.status).toBe(200);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      expect(await principalFromHeaders(new Headers({ cookie }))).toMatchObject({ role: "admin" });
    });
  });

  it("creates a key (alone on the last line), lists it, and revokes it with immediate effect", async () => {
    const created = await nexus("key", "create", "--name", "ci-agent", "--role", "agent");
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trimEnd().split("\n");
    const key = lines[lines.length - 1]!;
    expect(key).toMatch(/^nxs_[A-Za-z0-9_-]{43}$/);

    await withDatabase(async () => {
      expect(await verifyApiKey(key)).toMatchObject({ name: "ci-agent", role: "agent" });
    });

    const list = await nexus("key", "list");
    expect(list.stdout).toMatch(new RegExp(`ci-agent\\s+${key.slice(0, 10)}\\s+agent .* active`));
    expect(list.stdout).not.toContain(key);

    const taken = await nexus("key", "create", "--name", "ci-agent", "--role", "reviewer");
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('nexus: An API key named "ci-agent" already exists');

    const revoked = await nexus("key", "revoke", "--name", "ci-agent");
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('revoked API key "ci-agent"');
    const again = await nexus("key", "revoke", "--name", "ci-agent");
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('nexus: no active API key named "ci-agent"');

    await withDatabase(async () => {
      expect(await verifyApiKey(key)).toBeNull();
    });
    expect((await nexus("key", "list")).stdout).toMatch(/ci-agent .* revoked/);
  });

  it("binds a key to one agent_id with --agent-id, and lists the binding", async () => {
    const created = await nexus(
      "key",
      "create",
      "--name",
      "bound-bot",
      "--role",
      "agent",
      "--agent-id",
      "deploy-bot",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('may only submit as agent_id "deploy-bot"');
    const key = created.stdout.trimEnd().split("\n").at(-1)!;
    await withDatabase(async () => {
      expect(await verifyApiKey(key)).toMatchObject({ name: "bound-bot", agentId: "deploy-bot" });
    });
    expect((await nexus("key", "list")).stdout).toMatch(/bound-bot\s+\S+\s+agent\s+deploy-bot\s/);
    const empty = await nexus("key", "create", "--name", "x", "--role", "agent", "--agent-id");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("--agent-id needs a value");
  });
});
