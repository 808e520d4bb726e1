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
/** The same, with `input` piped to its stdin (passwords: --password-stdin). */
const nexusWithInput = (input: string, ...args: string[]) =>
  runScript("scripts/cli.ts", args, env, 90_000, input);

function signIn(email: string, password: string, peer: string) {
  return handleAuthRequest(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:3000",
        "x-nexus-peer": peer,
      },
      body: JSON.stringify({ email, password }),
    }),
  );
}

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
    const cases: [string[], string, string?][] = [
      [
        ["user", "create", "--email", "nope", "--role", "admin", "--password-stdin"],
        "nexus: --email: Enter a valid email address, like name@example.com",
        "long-enough\n",
      ],
      [
        ["user", "create", "--email", "a@example.com", "--role", "admin", "--password-stdin"],
        "nexus: password: Password must be at least 8 characters",
        "short\n",
      ],
      [
        ["user", "create", "--email", "a@example.com", "--role", "boss", "--password-stdin"],
        'nexus: --role must be one of admin, reviewer, viewer; got "boss"',
        "long-enough\n",
      ],
      [
        ["key", "create", "--name", "ci", "--role", "admin"],
        'nexus: --role must be one of agent, reviewer, monitor; got "admin"',
      ],
      [["key", "create", "--role", "agent"], "nexus: missing --name"],
    ];
    const results = await Promise.all(
      cases.map(([args, , input]) =>
        input === undefined ? nexus(...args) : nexusWithInput(input, ...args),
      ),
    );
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim()).toBe(cases[i]![1]);
    });
  });

  it("never takes a password from the command line", async () => {
    const results = await Promise.all([
      nexus(
        "user",
        "create",
        "--email",
        "a@example.com",
        "--password",
        "long-enough-pw",
        "--role",
        "admin",
      ),
      nexus("user", "set-password", "--email", "a@example.com", "--password=long-enough-pw"),
      // no terminal and nothing piped: says how, instead of waiting
      nexus("user", "create", "--email", "a@example.com", "--role", "admin"),
    ]);
    for (const r of results.slice(0, 2)) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/--password is not accepted: .*--password-stdin/);
    }
    expect(results[2]!.code).toBe(1);
    expect(results[2]!.stderr).toMatch(/--password-stdin/);
  });

  it("creates and lists users who can then sign in", async () => {
    const created = await nexusWithInput(
      "ops-password\n",
      "user",
      "create",
      "--email",
      "Ops@Example.com",
      "--role",
      "admin",
      "--password-stdin",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("created user ops@example.com (admin)");

    const dup = await nexusWithInput(
      "ops-password",
      "user",
      "create",
      "--email",
      "ops@example.com",
      "--role",
      "viewer",
      "--password-stdin",
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

  it("set-password lets a throttled owner back in; disable and enable take effect at once", async () => {
    const attacker = "198.51.100.23";
    await withDatabase(async () => {
      for (let i = 0; i < 7; i++) await signIn("ops@example.com", "guessed-password", attacker);
      expect((await signIn("ops@example.com", "ops-password", attacker)).status).toBe(429);
    });
    const changed = await nexusWithInput(
      "new-ops-password\n",
      "user",
      "set-password",
      "ops@example.com",
      "--password-stdin",
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain("password of ops@example.com changed");
    await withDatabase(async () => {
      expect((await signIn("ops@example.com", "new-ops-password", attacker)).status).toBe(200);
    });

    // The only enabled admin cannot be disabled; a reviewer can, and back.
    const last = await nexus("user", "disable", "ops@example.com");
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/only enabled admin/);
    expect(
      (
        await nexusWithInput(
          "rev-password",
          "user",
          "create",
          "--email",
          "rev@example.com",
          "--role",
          "reviewer",
          "--password-stdin",
        )
      ).code,
    ).toBe(0);
    let cookie = "";
    await withDatabase(async () => {
      const res = await signIn("rev@example.com", "rev-password", "198.51.100.24");
      cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      expect(await principalFromHeaders(new Headers({ cookie }))).not.toBeNull();
    });
    const disabled = await nexus("user", "disable", "rev@example.com");
    expect(disabled.code, disabled.stderr).toBe(0);
    expect((await nexus("user", "list")).stdout).toMatch(/rev@example\.com\s+reviewer\s+disabled/);
    await withDatabase(async () => {
      expect(await principalFromHeaders(new Headers({ cookie }))).toBeNull();
      const refused = await signIn("rev@example.com", "rev-password", "198.51.100.24");
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toMatch(/disabled/);
    });
    expect((await nexus("user", "enable", "rev@example.com")).code).toBe(0);
    await withDatabase(async () => {
      expect((await signIn("rev@example.com", "rev-password", "198.51.100.24")).status).toBe(200);
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
