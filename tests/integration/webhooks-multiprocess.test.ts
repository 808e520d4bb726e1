import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase } from "@/db/client";
import { createWebhook } from "@/db/queries/webhooks";
import type { Principal } from "@/lib/auth/principal";
import type { DbConfig } from "@/lib/env";
import { newWebhookSecret } from "@/lib/notify/webhook-format";
import { decide, submit } from "@/server/requests/service";
import { DIFF } from "../helpers/api";
import { dropTestDatabase, freshTestConfig, testDbKind } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { ROOT, baseEnv } from "../helpers/run";

/*
 * Two Nexus processes (startNexus: database, outbox worker) on one PostgreSQL, both
 * woken by every NOTIFY: each event reaches the receiver exactly once.
 */

function startProcess(env: Record<string, string | undefined>) {
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(ROOT, "tests/helpers/nexus-process.ts"),
    ],
    { cwd: ROOT, env: env as NodeJS.ProcessEnv },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const started = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not started:\n${out}`)), 60_000);
    child.stdout!.on("data", () => {
      if (out.includes("nexus-process: started")) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return { child, started, exited, output: () => out };
}

describe.runIf(testDbKind === "server")("webhooks with two processes on one PostgreSQL", () => {
  let config: DbConfig;
  let receiver: Receiver;
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
    await receiver?.close();
    await closeDatabase();
    if (config) await dropTestDatabase(config);
  });

  test("each event is delivered once", async () => {
    config = freshTestConfig();
    if (config.kind !== "server") return;
    await getDatabase();
    receiver = await startReceiver();
    await createWebhook({
      url: `${receiver.url}/hook`,
      format: "standard",
      events: ["request.created", "request.decided"],
      agentId: null,
      kind: null,
      secret: newWebhookSecret(),
      createdBy: "test",
    });
    const env = baseEnv({
      DB_HOST: config.host,
      DB_PORT: String(config.port),
      DB_USER: process.env.DB_USER,
      NEXUS_DB: config.database,
      LOG_LEVEL: "info",
    });
    const ps = [startProcess(env), startProcess(env)];
    procs.push(...ps.map((p) => p.child));
    await Promise.all(ps.map((p) => p.started));

    const agent: Principal = {
      kind: "key",
      id: "00000000-0000-4000-8000-000000000002",
      name: "bot",
      role: "agent",
    };
    const reviewer: Principal = {
      kind: "user",
      id: "u",
      email: "r@example.com",
      name: "R",
      role: "reviewer",
    };
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { row } = await submit("approval", agent, {
        file_path: `f${i}.ts`,
        diff: DIFF,
        agent_id: "mp",
      });
      ids.push(row.id);
    }
    for (const id of ids.slice(0, 10))
      await decide("approval", reviewer, id, { approved: true, comment: null });

    await receiver.waitFor(40, 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more arrives
    const webhookIds = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(webhookIds.length).toBe(40);
    expect(new Set(webhookIds).size).toBe(40);
    const events = receiver.received.map((r) => {
      const b = JSON.parse(r.body) as { type: string; data: { id: string } };
      return `${b.type}:${b.data.id}`;
    });
    expect(new Set(events).size).toBe(40);

    for (const p of ps) p.child.kill("SIGTERM");
    const codes = await Promise.all(ps.map((p) => p.exited));
    expect(codes, ps.map((p) => p.output()).join("\n")).toEqual([0, 0]);
  }, 120_000);
});
