import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { setEmailPreference } from "@/db/queries/email";
import { setEscalation } from "@/db/queries/escalation";
import { insertAccount } from "@/db/queries/users";
import { approvalRequests, outboxDeliveries, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { emailChannel } from "@/server/email/channel";
import {
  DEFAULT_WORKER_OPTIONS,
  startOutboxWorker,
  type OutboxWorker,
} from "@/server/notify/worker";
import { submit } from "@/server/requests/service";
import { eq, sql } from "drizzle-orm";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Email through the outbox, against a local SMTP server (the smtp-server package, on
 * 127.0.0.1 and a port of its own) that this file starts and stops: never a real mail
 * service. The worker is the real one with short backoffs.
 */

interface Received {
  to: string[];
  raw: string;
}

class LocalSmtp {
  received: Received[] = [];
  server: SMTPServer | null = null;
  port = 0;
  async start(port = 0) {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }
  async stop() {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  to(address: string) {
    return this.received.filter((m) => m.to.includes(address));
  }
}

/** The decoded body of a raw message (quoted-printable soft breaks joined). */
const body = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

const BASE = "https://nexus.example.test";
const agent: Principal = { kind: "key", id: randomUUID(), name: "agent-key", role: "agent" };

let database: Database;
const smtp = new LocalSmtp();
let worker: OutboxWorker | null = null;
let now = Date.now();

async function reviewer(email: string, role: "reviewer" | "admin" | "viewer" = "reviewer") {
  const id = randomUUID();
  await insertAccount({ id, accountId: id, email, name: email, role, passwordHash: "x" });
  return id;
}

function startWorker() {
  worker = startOutboxWorker({
    ...DEFAULT_WORKER_OPTIONS,
    baseUrl: BASE,
    timeoutMs: 2_000,
    backoffBaseMs: 100,
    backoffMaxMs: 400,
    sweepMs: 200,
    channels: [
      emailChannel({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "Nexus <nexus@example.test>",
        now: () => now,
      }),
    ],
  });
}

async function approval(file: string) {
  const { row } = await submit("approval", agent, {
    agent_id: "mail-agent",
    file_path: file,
    description: "Change it",
    diff: `--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-a\n+b\n`,
  });
  return row.id;
}

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting");
};

beforeAll(async () => {
  database = await setupTestDatabase();
  await smtp.start();
});
afterAll(async () => {
  await worker?.stop();
  await smtp.stop();
  await teardownTestDatabase(database);
});
beforeEach(() => {
  now = Date.now();
});

describe(`email through the outbox (${testDbKind})`, () => {
  test("a reviewer who chose each request gets one email with the request's link; others none", async () => {
    const each = await reviewer("each@example.test");
    await setEmailPreference(each, { mode: "each", digestMinutes: 15 });
    await reviewer("none@example.test");
    const viewer = await reviewer("viewer@example.test", "viewer");
    await setEmailPreference(viewer, { mode: "each", digestMinutes: 15 });
    startWorker();

    const id = await approval("src/mail.ts");
    await until(() => smtp.to("each@example.test").length === 1);
    const mail = body(smtp.to("each@example.test")[0]!.raw);
    expect(mail).toContain("Subject: [Nexus] Approval from mail-agent: src/mail.ts");
    expect(mail).toContain(`${BASE}/approvals/${id}`);
    expect(mail).toContain("Content-Type: text/plain");
    expect(mail).toContain("Content-Type: text/html");
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to("none@example.test")).toHaveLength(0);
    expect(smtp.to("viewer@example.test")).toHaveLength(0);
    expect(smtp.to("each@example.test")).toHaveLength(1);
  });

  test("a digest waits its interval, then lists every request that arrived in one email", async () => {
    const d = await reviewer("digest@example.test");
    await setEmailPreference(d, { mode: "digest", digestMinutes: 10 });
    const a = await approval("src/one.ts");
    const b = await approval("src/two.ts");
    await new Promise((r) => setTimeout(r, 800));
    expect(smtp.to("digest@example.test")).toHaveLength(0);

    now = Date.now() + 11 * 60_000; // the interval has passed
    worker!.kick();
    await until(() => smtp.to("digest@example.test").length >= 1, 15_000);
    await new Promise((r) => setTimeout(r, 800));
    const mails = smtp.to("digest@example.test");
    expect(mails).toHaveLength(1);
    const mail = body(mails[0]!.raw);
    expect(mail).toContain("Subject: [Nexus] 2 new requests waiting");
    expect(mail).toContain(`${BASE}/approvals/${a}`);
    expect(mail).toContain(`${BASE}/approvals/${b}`);
    const left = await database.db
      .select()
      .from(outboxDeliveries)
      .where(eq(outboxDeliveries.target, `digest:${d}`));
    expect(left.map((r) => r.status)).toEqual(["delivered", "delivered"]);
    await setEmailPreference(d, { mode: "none", digestMinutes: 10 });
  });

  test("SMTP down: the email is retried and arrives once the server is back, nothing lost", async () => {
    const port = smtp.port;
    await smtp.stop();
    const id = await approval("src/outage.ts");
    await until(async () => {
      const rows = await database.db
        .select()
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.target, (await idOf("each@example.test"))!));
      return rows.some((r) => r.status === "pending" && r.attempts >= 2 && r.lastError !== null);
    });
    await smtp.start(port);
    await until(() =>
      smtp.to("each@example.test").some((m) => body(m.raw).includes(`/approvals/${id}`)),
    );
    expect(
      smtp.to("each@example.test").filter((m) => body(m.raw).includes(`/approvals/${id}`)),
    ).toHaveLength(1);
  });
});

test("an escalation is emailed at once to everyone who chose email, digest or not", async () => {
  const d = await reviewer("digest-esc@example.test");
  await setEmailPreference(d, { mode: "digest", digestMinutes: 60 });
  await reviewer("none-esc@example.test");
  await setEscalation(null, 30, "test");
  const id = await approval("src/late.ts");
  await database.db
    .update(approvalRequests)
    .set({ createdAt: sql`(now() AT TIME ZONE 'UTC') - interval '31 minutes'` })
    .where(eq(approvalRequests.id, id));
  await until(() => smtp.to("digest-esc@example.test").length === 1);
  const mail = body(smtp.to("digest-esc@example.test")[0]!.raw);
  expect(mail).toContain("Subject: [Nexus] Still waiting: Approval from mail-agent: src/late.ts");
  expect(mail).toContain("after 30 minutes");
  expect(mail).toContain(`${BASE}/approvals/${id}`);
  // the "each" reviewer gets both the new request and its escalation
  await until(
    () =>
      smtp.to("each@example.test").filter((m) => body(m.raw).includes(`/approvals/${id}`))
        .length === 2,
  );
  expect(smtp.to("none-esc@example.test")).toHaveLength(0);
  // once: later sweeps do not escalate it again
  await new Promise((r) => setTimeout(r, 800));
  expect(smtp.to("digest-esc@example.test")).toHaveLength(1);
});

async function idOf(email: string) {
  const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u?.id;
}
