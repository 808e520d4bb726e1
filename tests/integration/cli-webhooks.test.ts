import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDatabase } from "@/db/client";
import { listEscalationSettings } from "@/db/queries/escalation";
import { listWebhooks } from "@/db/queries/webhooks";
import type { DbConfig } from "@/lib/env";
import { dropTestDatabase, freshTestConfig } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { baseEnv, runScript } from "../helpers/run";

/*
 * `npm run nexus -- webhook …` and `escalation …` as an operator runs them: separate
 * processes on the test database; bad input is one clear line and exit code 1.
 */
let config: DbConfig;
let env: Record<string, string | undefined>;
let receiver: Receiver;

beforeAll(async () => {
  config = freshTestConfig();
  env =
    config.kind === "embedded"
      ? baseEnv({ NEXUS_DATA_DIR: config.dataDir })
      : baseEnv({ DATABASE_URL: config.url });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await closeDatabase();
  await dropTestDatabase(config);
});

const nexus = (...args: string[]) => runScript("scripts/cli.ts", args, env, 90_000);

/** Read the database in this process, then let go of it (PGlite: one process at a time). */
async function inDb<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } finally {
    await closeDatabase();
  }
}

test("webhook add / list / test / remove", async () => {
  const added = await nexus(
    "webhook",
    "add",
    "--url",
    `${receiver.url}/hook`,
    "--events",
    "request.created,request.decided",
    "--agent",
    "agent-7",
    "--kind",
    "approval",
  );
  expect(added.code, added.stderr).toBe(0);
  const secret = added.stdout.trim().split("\n").at(-1)!;
  expect(secret).toMatch(/^whsec_/);
  const [hook] = await inDb(listWebhooks);
  expect(hook).toMatchObject({
    format: "standard",
    events: ["request.created", "request.decided"],
    agentId: "agent-7",
    kind: "approval",
  });

  const listed = await nexus("webhook", "list");
  expect(listed.stdout).toContain(hook!.id);
  expect(listed.stdout).toContain("agent agent-7");
  expect(listed.stdout).not.toContain(secret); // shown once only

  const tested = await nexus("webhook", "test", hook!.id);
  expect(tested.code, tested.stderr).toBe(0);
  expect(tested.stdout).toMatch(/delivered: HTTP 200/);
  const [got] = receiver.received;
  const body = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>);
  expect(body).toMatchObject({ type: "webhook.test" });

  const removed = await nexus("webhook", "remove", hook!.id);
  expect(removed.code).toBe(0);
  expect(await inDb(listWebhooks)).toEqual([]);
}, 180_000);

test("bad input: one clear line, exit code 1, nothing stored", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--url", "ftp://x.example/h", "--events", "request.created"],
      /--url: URL must start with http/,
    ],
    [
      ["--url", "https://x.example/h", "--events", "request.create"],
      /--events: Unknown event "request.create"/,
    ],
    [
      [
        "--url",
        "https://x.example/h",
        "--events",
        "request.created",
        "--secret",
        "whsec_dG9vc2hvcnQ=",
      ],
      /--secret: Secret is too short/,
    ],
    [
      ["--url", "https://x.example/h", "--events", "request.created", "--format", "teams"],
      /--format: Unknown format/,
    ],
    [["--events", "request.created"], /missing --url/],
  ];
  for (const [args, message] of cases) {
    const r = await nexus("webhook", "add", ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }
  expect(await inDb(listWebhooks)).toEqual([]);
}, 300_000);

test("escalation set (global and per agent), show, clear", async () => {
  expect((await nexus("escalation", "set", "--minutes", "30")).code).toBe(0);
  expect((await nexus("escalation", "set", "--minutes", "5", "--agent", "fast-agent")).code).toBe(
    0,
  );
  const bad = await nexus("escalation", "set", "--minutes", "soon");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/--minutes: Minutes must be a whole number/);
  const settings = await inDb(listEscalationSettings);
  expect(settings.map((s) => [s.agentId, s.minutes])).toEqual([
    [null, 30],
    ["fast-agent", 5],
  ]);
  expect((await nexus("escalation", "show")).stdout).toMatch(/\(global\): 30 minutes/);
  expect((await nexus("escalation", "clear", "--agent", "fast-agent")).code).toBe(0);
  expect((await inDb(listEscalationSettings)).length).toBe(1);
}, 180_000);
