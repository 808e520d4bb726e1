import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { GET as getApproval } from "@/app/api/v1/approvals/[id]/route";
import { POST as postApproval } from "@/app/api/v1/approvals/route";
import { GET as events } from "@/app/api/v1/events/route";
import type { Database } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { users } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { handleAuthRequest } from "@/server/auth/handler";
import { createUser } from "@/server/auth/users";
import { DIFF } from "../helpers/api";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * Per-principal caps on long polls and event streams (429 rate_limited with Retry-After,
 * slots released when a request ends), and event streams that end once their caller
 * loses access: key revoked, session signed out, user disabled.
 */

const BASE = "http://localhost:3000";
let database: Database;
let agentKey: string;
let otherKey: string;

beforeAll(async () => {
  process.env.NEXUS_MAX_WAITS_PER_PRINCIPAL = "2";
  process.env.NEXUS_MAX_STREAMS_PER_PRINCIPAL = "2";
  resetEnvCache();
  database = await setupTestDatabase();
  agentKey = (await createApiKey({ name: "limits-agent", role: "agent" })).key;
  otherKey = (await createApiKey({ name: "limits-other", role: "agent" })).key;
});
afterAll(async () => {
  delete process.env.NEXUS_MAX_WAITS_PER_PRINCIPAL;
  delete process.env.NEXUS_MAX_STREAMS_PER_PRINCIPAL;
  resetEnvCache();
  await teardownTestDatabase(database);
});

const open: AbortController[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.abort();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function submit(): Promise<string> {
  const res = await postApproval(
    new Request(`${BASE}/api/v1/approvals`, {
      method: "POST",
      headers: { ...auth(agentKey), "content-type": "application/json" },
      body: JSON.stringify({ file_path: "a.ts", diff: DIFF, agent_id: "limits" }),
    }),
    { params: Promise.resolve({ id: "" }) },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Start a long poll; resolves with its Response when it answers. */
function longPoll(id: string, key: string, waitS = 30) {
  const controller = new AbortController();
  open.push(controller);
  const response = getApproval(
    new Request(`${BASE}/api/v1/approvals/${id}?wait=${waitS}`, {
      headers: auth(key),
      signal: controller.signal,
    }),
    { params: Promise.resolve({ id }) },
  );
  return { controller, response };
}

function stream(headers: Record<string, string>) {
  const controller = new AbortController();
  open.push(controller);
  const response = events(
    new Request(`${BASE}/api/v1/events`, { headers, signal: controller.signal }),
  );
  return { controller, response };
}

const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe("limits per principal", () => {
  test("long polls: the third concurrent wait of one key gets 429 with Retry-After; others and freed slots go through", async () => {
    const id = await submit();
    const a = longPoll(id, agentKey);
    const b = longPoll(id, agentKey);
    await tick(300); // both are waiting
    const third = await longPoll(id, agentKey).response;
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await third.json()).error.code).toBe("rate_limited");

    // another key has its own allowance
    const other = longPoll(id, otherKey, 1);
    expect((await other.response).status).toBe(200);

    // a client going away frees its slot
    a.controller.abort();
    expect((await a.response).status).toBe(200);
    const again = longPoll(id, agentKey, 1);
    expect((await again.response).status).toBe(200);
    b.controller.abort();
    await b.response;
  });

  test("event streams: the third open stream of one key gets 429; closing one frees its slot", async () => {
    const s1 = stream(auth(agentKey));
    const s2 = stream(auth(agentKey));
    expect((await s1.response).status).toBe(200);
    expect((await s2.response).status).toBe(200);
    const s3 = await stream(auth(agentKey)).response;
    expect(s3.status).toBe(429);
    expect(s3.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await s3.json()).error.code).toBe("rate_limited");
    expect((await stream(auth(otherKey)).response).status).toBe(200);

    s1.controller.abort();
    await tick();
    const s4 = stream(auth(agentKey));
    expect((await s4.response).status).toBe(200);

    // the consumer cancelling the body (not only an aborted request) frees it too
    await (await s4.response).body!.cancel();
    await tick();
    expect((await stream(auth(agentKey)).response).status).toBe(200);
  });
});

/** Read a stream until it ends; resolves with the time it took, or rejects after `ms`. */
async function endsWithin(res: Response, ms: number): Promise<number> {
  const started = Date.now();
  const reader = res.body!.getReader();
  const timer = setTimeout(() => void reader.cancel("test timeout"), ms);
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  } finally {
    clearTimeout(timer);
  }
  const took = Date.now() - started;
  if (took >= ms) throw new Error(`stream still open after ${ms} ms`);
  return took;
}

async function sessionCookie(email: string, password: string) {
  const res = await handleAuthRequest(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("event streams end when access ends", () => {
  test("a revoked key's open stream closes within 5 s", async () => {
    const { key } = await createApiKey({ name: "to-revoke", role: "agent" });
    const res = await stream(auth(key)).response;
    expect(res.status).toBe(200);
    await tick(100);
    const revokedAt = Date.now();
    expect(await revokeApiKey("to-revoke")).toBe(true);
    await endsWithin(res, 5000 - (Date.now() - revokedAt));
  });

  test("a signed-out session's stream closes within 5 s", async () => {
    await createUser({
      email: "sse-out@example.com",
      name: "Out",
      password: "a-long-password-1",
      role: "viewer",
    });
    const cookie = await sessionCookie("sse-out@example.com", "a-long-password-1");
    const res = await stream({ cookie }).response;
    expect(res.status).toBe(200);
    const out = await handleAuthRequest(
      new Request(`${BASE}/api/auth/sign-out`, {
        method: "POST",
        headers: { cookie, origin: BASE, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(out.status).toBe(200);
    await endsWithin(res, 5000);
  });

  test("a disabled user's stream closes within 5 s (disabled_at set, session row left)", async () => {
    await createUser({
      email: "sse-off@example.com",
      name: "Off",
      password: "a-long-password-2",
      role: "reviewer",
    });
    const cookie = await sessionCookie("sse-off@example.com", "a-long-password-2");
    const res = await stream({ cookie }).response;
    expect(res.status).toBe(200);
    await database.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.email, "sse-off@example.com"));
    await endsWithin(res, 5000);
  });

  test("a stream whose caller keeps access stays open", async () => {
    const res = await stream(auth(otherKey)).response;
    await expect(endsWithin(res, 4500)).rejects.toThrow(/still open/);
  });
});
