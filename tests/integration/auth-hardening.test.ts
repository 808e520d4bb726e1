import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setupAction } from "@/app/setup/actions";
import type { Database } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { hasUsers, listUsers } from "@/db/queries/users";
import { resetEnvCache } from "@/lib/env";
import { getAuth } from "@/server/auth/auth";
import { handleAuthRequest } from "@/server/auth/handler";
import { principalFromHeaders } from "@/server/auth/session";
import { createUser } from "@/server/auth/users";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * Security review findings on sign-in and first-run setup (issue 11), each through the
 * doors a client uses: better-auth's endpoint as the route handler calls it, and the
 * /setup server action. The socket's address arrives as `x-nexus-peer`, which the
 * server writes from the socket (server/auth/client-peer.ts) over anything a client sent.
 */
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});
afterEach(() => {
  delete process.env.NEXUS_TRUST_PROXY;
  resetEnvCache();
});

const BASE = "http://localhost:3000";
const HOST = { origin: BASE, host: "localhost:3000" };

function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return handleAuthRequest(
    new Request(`${BASE}${path}`, { method: "POST", headers: { ...HOST, ...headers }, body }),
  );
}
const signInJson = (email: string, password: string, headers: Record<string, string>) =>
  post("/api/auth/sign-in/email", JSON.stringify({ email, password }), {
    "content-type": "application/json",
    ...headers,
  });
const signInForm = (email: string, password: string, headers: Record<string, string>) =>
  post("/api/auth/sign-in/email", new URLSearchParams({ email, password }).toString(), {
    "content-type": "application/x-www-form-urlencoded",
    ...headers,
  });

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const setupFields = {
  email: "owner@example.com",
  name: "",
  password: "owner-password",
  confirm: "owner-password",
};

describe("first-run setup", () => {
  it("refuses a visitor from another machine without the setup token", async () => {
    request.headers = new Headers({ "x-nexus-peer": "192.0.2.77" });
    const state = await setupAction({}, form(setupFields));
    expect(state.errors?.token).toMatch(/setup token/);
    expect(await hasUsers()).toBe(false);
    // A forwarded header does not make a remote visitor local (no NEXUS_TRUST_PROXY).
    request.headers = new Headers({ "x-nexus-peer": "192.0.2.77", "x-forwarded-for": "127.0.0.1" });
    expect((await setupAction({}, form(setupFields))).errors?.token).toMatch(/setup token/);
    // Through an untrusted proxy on this machine: the socket is loopback, the visitor is not.
    request.headers = new Headers({ "x-nexus-peer": "127.0.0.1", "x-forwarded-for": "192.0.2.77" });
    expect((await setupAction({}, form(setupFields))).errors?.token).toMatch(/setup token/);
    expect(await hasUsers()).toBe(false);
  });

  it("lets a visitor on loopback set up without a token", async () => {
    request.headers = new Headers({ "x-nexus-peer": "::ffff:127.0.0.1" });
    await expect(setupAction({}, form(setupFields))).rejects.toThrow(/NEXT_REDIRECT/);
    expect((await listUsers()).map((u) => u.email)).toEqual(["owner@example.com"]);
  });

  it("once done, answers without hashing the password it was sent", async () => {
    const ctx = await (await getAuth()).$context;
    const hash = vi.spyOn(ctx.password, "hash");
    try {
      request.headers = new Headers({ "x-nexus-peer": "127.0.0.1" });
      const state = await setupAction({}, form({ ...setupFields, email: "late@example.com" }));
      expect(state.message).toMatch(/already done/);
      expect(hash).not.toHaveBeenCalled();
    } finally {
      hash.mockRestore();
    }
  });
});

describe("sign-in brute force", () => {
  it("counts form-encoded attempts like JSON ones", async () => {
    await createUser({ email: "form@example.com", password: "form-password", role: "viewer" });
    const peer = { "x-nexus-peer": "198.51.100.20" };
    for (let i = 0; i < 5; i++)
      expect((await signInForm("form@example.com", `wrong-${i}-password`, peer)).status).toBe(401);
    // The right password from that address now waits: the form attempts were counted.
    expect((await signInJson("form@example.com", "form-password", peer)).status).toBe(429);
    expect((await signInForm("form@example.com", "form-password", peer)).status).toBe(429);
    // every failure is in the audit log: five wrong passwords, then two throttled attempts
    const { rows: failures } = await listAudit({
      event: "sign_in.failed",
      subjectId: "form@example.com",
      limit: 20,
    });
    expect(failures.map((f) => f.details)).toEqual([
      { address: "198.51.100.20", throttled: true },
      { address: "198.51.100.20", throttled: true },
      ...Array.from({ length: 5 }, () => ({ address: "198.51.100.20" })),
    ]);
    expect(failures.every((f) => f.actor === "form@example.com")).toBe(true);
  });

  it("ignores a client-sent X-Forwarded-For unless NEXUS_TRUST_PROXY says so", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push(
        (
          await signInJson(`spoof${i}@example.com`, "whatever-pass", {
            "x-nexus-peer": "203.0.113.40",
            "x-forwarded-for": `10.1.${i}.1`,
          })
        ).status,
      );
    // One socket address: better-auth's per-address limit (20 per 5 minutes) applies.
    expect(statuses.slice(20)).toEqual([429, 429]);

    process.env.NEXUS_TRUST_PROXY = "1";
    resetEnvCache();
    const trusted: number[] = [];
    for (let i = 0; i < 22; i++)
      trusted.push(
        (
          await signInJson(`proxied${i}@example.com`, "whatever-pass", {
            "x-nexus-peer": "203.0.113.41", // the proxy
            "x-forwarded-for": `10.2.${i}.1`,
          })
        ).status,
      );
    expect(trusted.every((s) => s === 401)).toBe(true);
  });

  it("an attacker's failures from one address do not keep the owner out", async () => {
    await createUser({ email: "boss@example.com", password: "boss-password", role: "admin" });
    const attacker = { "x-nexus-peer": "198.51.100.66" };
    for (let i = 0; i < 8; i++) await signInJson("boss@example.com", "guess-password", attacker);
    expect((await signInJson("boss@example.com", "boss-password", attacker)).status).toBe(429);
    const owner = await signInJson("boss@example.com", "boss-password", {
      "x-nexus-peer": "2001:db8:1::5",
    });
    expect(owner.status).toBe(200);
  });
});

describe("/api/auth limits and cookies", () => {
  it("refuses a body over 64 KiB with 413, declared or streamed", async () => {
    const big = JSON.stringify({ email: "x@example.com", password: "p".repeat(70 * 1024) });
    const declared = await post("/api/auth/sign-in/email", big, {
      "content-type": "application/json",
      "x-nexus-peer": "198.51.100.90",
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: { code: "payload_too_large", message: expect.any(String) },
    });
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 8192) c.enqueue(bytes.slice(i, i + 8192));
        c.close();
      },
    });
    const streamed = await handleAuthRequest(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { ...HOST, "content-type": "application/json", "x-nexus-peer": "198.51.100.91" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
  });

  it("marks the session cookie Secure when the request came over https", async () => {
    await createUser({ email: "tls@example.com", password: "tls-password", role: "viewer" });
    process.env.NEXUS_TRUST_PROXY = "1";
    resetEnvCache();
    const res = await signInJson("tls@example.com", "tls-password", {
      "x-nexus-peer": "10.0.0.1",
      "x-forwarded-for": "198.51.100.7",
      "x-forwarded-proto": "https",
      origin: "https://localhost:3000",
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatch(/;\s*Secure/i);
    // Over plain http (no proxy trusted, http public URL): not Secure, and still works.
    delete process.env.NEXUS_TRUST_PROXY;
    resetEnvCache();
    const plain = await signInJson("tls@example.com", "tls-password", {
      "x-nexus-peer": "198.51.100.8",
      "x-forwarded-proto": "https",
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.getSetCookie().join("\n")).not.toMatch(/Secure/i);
    const cookie = plain.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(await principalFromHeaders(new Headers({ cookie }))).toMatchObject({
      email: "tls@example.com",
    });
  });
});
