import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { SIGN_IN_THROTTLE } from "@/lib/auth/sign-in-throttle";
import { EmailTaken, hasUsers, LastAdmin, listUsers, updateUserRole } from "@/db/queries/users";
import { getAuth } from "@/server/auth/auth";
import { handleAuthRequest } from "@/server/auth/handler";
import { principalFromHeaders } from "@/server/auth/session";
import { createFirstAdmin, createUser } from "@/server/auth/users";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});

const BASE = "http://localhost:3000";

function signIn(email: string, password: string, ip = "203.0.113.7") {
  return handleAuthRequest(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        host: "localhost:3000",
        "x-nexus-peer": ip, // the socket's address, as server/auth/client-peer.ts records it
      },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieOf(response: Response) {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("first-run setup", () => {
  it("two concurrent first-admin creations create exactly one user", async () => {
    expect(await hasUsers()).toBe(false);
    const results = await Promise.all([
      createFirstAdmin({ email: "first@example.com", password: "correct horse 1" }),
      createFirstAdmin({ email: "second@example.com", password: "correct horse 2" }),
      createFirstAdmin({ email: "third@example.com", password: "correct horse 3" }),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const users = await listUsers();
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe("admin");
  });

  it("cannot be repeated once a user exists", async () => {
    const again = await createFirstAdmin({ email: "late@example.com", password: "long enough" });
    expect(again.created).toBe(false);
    expect(await listUsers()).toHaveLength(1);
  });
});

describe("users and sessions", () => {
  it("a created user signs in with better-auth and resolves to a principal with its role", async () => {
    await createUser({ email: "Rita@Example.com", password: "reviewer-pass", role: "reviewer" });
    const res = await signIn("rita@example.com", "reviewer-pass");
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // served over http here
    const principal = await principalFromHeaders(new Headers({ cookie: cookieOf(res) }));
    expect(principal).toMatchObject({ kind: "user", email: "rita@example.com", role: "reviewer" });
  });

  it("stores the password as better-auth's hash, not the password", async () => {
    const ctx = await (await getAuth()).$context;
    const user = (await listUsers()).find((u) => u.email === "rita@example.com")!;
    const accounts = await ctx.internalAdapter.findAccounts(user.id);
    const hash = accounts[0]!.password!;
    expect(hash).not.toContain("reviewer-pass");
    expect(await ctx.password.verify({ hash, password: "reviewer-pass" })).toBe(true);
  });

  it("rejects a wrong password and a bad cookie", async () => {
    expect((await signIn("rita@example.com", "wrong-password", "203.0.113.8")).status).toBe(401);
    expect(await principalFromHeaders(new Headers({ cookie: "nexus.session_token=forged" }))).toBe(
      null,
    );
  });

  it("refuses duplicate emails, bad roles, short passwords and bad emails", async () => {
    await expect(
      createUser({ email: "rita@example.com", password: "another-pass", role: "viewer" }),
    ).rejects.toBeInstanceOf(EmailTaken);
    await expect(
      createUser({ email: "x@example.com", password: "another-pass", role: "owner" as never }),
    ).rejects.toThrow(/Role must be one of admin, reviewer, viewer/);
    await expect(
      createUser({ email: "x@example.com", password: "short", role: "viewer" }),
    ).rejects.toThrow(/at least 8 characters/);
    await expect(
      createUser({ email: "not-an-email", password: "long enough", role: "viewer" }),
    ).rejects.toThrow(/valid email/);
  });

  it("public sign-up is disabled", async () => {
    const res = await handleAuthRequest(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: BASE,
          "x-forwarded-for": "203.0.113.9",
        },
        body: JSON.stringify({ email: "new@example.com", password: "long enough", name: "n" }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await listUsers()).some((u) => u.email === "new@example.com")).toBe(false);
  });

  it("a role change takes effect on the next request of an existing session", async () => {
    await createUser({ email: "vic@example.com", password: "viewer-pass", role: "viewer" });
    const res = await signIn("vic@example.com", "viewer-pass", "203.0.113.10");
    const h = new Headers({ cookie: cookieOf(res) });
    expect((await principalFromHeaders(h))?.role).toBe("viewer");
    const vic = (await listUsers()).find((u) => u.email === "vic@example.com")!;
    await updateUserRole(vic.id, "reviewer");
    expect((await principalFromHeaders(h))?.role).toBe("reviewer");
  });

  it("the last admin cannot be demoted", async () => {
    const admin = (await listUsers()).find((u) => u.role === "admin")!;
    await expect(updateUserRole(admin.id, "viewer")).rejects.toBeInstanceOf(LastAdmin);
  });
});

describe("sign-in limits", () => {
  const FREE = SIGN_IN_THROTTLE.freeFailures;

  it(`slows one address after ${FREE} failures for an account, never the owner elsewhere`, async () => {
    await createUser({ email: "lock@example.com", password: "locked-pass", role: "viewer" });
    for (let i = 0; i < FREE; i++)
      expect((await signIn("lock@example.com", "bad-password", "198.51.100.1")).status).toBe(401);
    const refused = await signIn("lock@example.com", "locked-pass", "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { message: string }).message).toMatch(/Too many failed/);
    // The owner, from another address, is not locked out; other accounts are unaffected.
    expect((await signIn("lock@example.com", "locked-pass", "198.51.100.2")).status).toBe(200);
    expect((await signIn("rita@example.com", "reviewer-pass", "198.51.100.1")).status).toBe(200);
  });

  it("limits attempts per address whatever the account (better-auth limiter, in the database)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push((await signIn(`nobody${i}@example.com`, "whatever-pass", "192.0.2.50")).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
