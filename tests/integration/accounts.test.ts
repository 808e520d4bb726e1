import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { claimSignInAttempt } from "@/db/queries/login-failures";
import { CannotDisable, listUsers, setUserDisabled } from "@/db/queries/users";
import { sessions, users } from "@/db/schema";
import { SIGN_IN_THROTTLE as T, throttleDelaySeconds } from "@/lib/auth/sign-in-throttle";
import { handleAuthRequest } from "@/server/auth/handler";
import { principalFromHeaders } from "@/server/auth/session";
import { createUser } from "@/server/auth/users";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});

async function signIn(email: string, password: string, peer = "198.51.100.200") {
  const res = await handleAuthRequest(
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
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { res, headers: new Headers({ cookie }) };
}

describe("disabling a user", () => {
  it("refuses a session that outlived disabling (every page, action and API check)", async () => {
    const u = await createUser({
      email: "old@example.com",
      password: "old-password",
      role: "reviewer",
    });
    const { headers } = await signIn("old@example.com", "old-password");
    expect(await principalFromHeaders(headers)).not.toBeNull();
    // As if a session row survived (written outside setUserDisabled).
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await principalFromHeaders(headers)).toBeNull();
  });

  it("ends the sessions at once, refuses sign-in with a clear message, keeps the user", async () => {
    const admin = await createUser({
      email: "adm@example.com",
      password: "adm-password",
      role: "admin",
    });
    const u = await createUser({
      email: "gone@example.com",
      password: "gone-password",
      role: "viewer",
    });
    const { headers } = await signIn("gone@example.com", "gone-password");
    await setUserDisabled(u.id, true, admin.id);
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, u.id))).toEqual([]);
    expect(await principalFromHeaders(headers)).toBeNull();
    const { res } = await signIn("gone@example.com", "gone-password");
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/disabled/);
    expect(res.headers.getSetCookie()).toEqual([]);
    // A wrong password says nothing about the account.
    expect((await signIn("gone@example.com", "wrong-password")).res.status).toBe(401);
    const row = (await listUsers()).find((x) => x.email === "gone@example.com")!;
    expect(row.disabledAt).toBeInstanceOf(Date);
    expect(row.name).toBe("gone");
    await setUserDisabled(u.id, false, admin.id);
    expect((await signIn("gone@example.com", "gone-password")).res.status).toBe(200);
  });

  it("an admin cannot disable themselves or the last enabled admin", async () => {
    const all = await listUsers();
    const admin = all.find((x) => x.email === "adm@example.com")!;
    await expect(setUserDisabled(admin.id, true, admin.id)).rejects.toBeInstanceOf(CannotDisable);
    await expect(setUserDisabled(admin.id, true)).rejects.toThrow(/only enabled admin/);
    const second = await createUser({
      email: "adm2@example.com",
      password: "adm2-password",
      role: "admin",
    });
    await setUserDisabled(admin.id, true, second.id);
    await expect(setUserDisabled(second.id, true, "someone-else")).rejects.toThrow(
      /only enabled admin/,
    );
  });
});

describe("sign-in throttle over time", () => {
  const t0 = new Date("2026-06-01T12:00:00Z");
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it("free attempts, then a delay that doubles up to its cap, per address", async () => {
    for (let i = 0; i < T.freeFailures; i++)
      expect(await claimSignInAttempt("t@example.com", "a", at(i))).toEqual({ allowed: true });
    const last = T.freeFailures - 1;
    // The 6th attempt right away waits the first delay; just after it, it is let through.
    expect(await claimSignInAttempt("t@example.com", "a", at(last))).toEqual({
      allowed: false,
      retryAfterSeconds: T.baseDelaySeconds,
    });
    expect(await claimSignInAttempt("t@example.com", "a", at(last + T.baseDelaySeconds))).toEqual({
      allowed: true,
    });
    // Now twice as long.
    const next = last + T.baseDelaySeconds;
    expect(await claimSignInAttempt("t@example.com", "a", at(next + 1))).toMatchObject({
      allowed: false,
      retryAfterSeconds: 2 * T.baseDelaySeconds - 1,
    });
    expect(throttleDelaySeconds(100, T.freeFailures)).toBe(T.maxDelaySeconds);
    // Another address for the same account is untouched.
    expect(await claimSignInAttempt("t@example.com", "b", at(next + 1))).toEqual({ allowed: true });
    // An hour without failures starts over.
    expect(await claimSignInAttempt("t@example.com", "a", at(next + T.resetSeconds + 1))).toEqual({
      allowed: true,
    });
  });

  it("parallel attempts cannot slip through together", async () => {
    for (let i = 0; i < T.freeFailures; i++) await claimSignInAttempt("p@example.com", "a", at(0));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => claimSignInAttempt("p@example.com", "a", at(60))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(1);
  });

  it("over the account ceiling, every address gets one free attempt, then waits seconds", async () => {
    for (let i = 0; i < T.accountCeiling; i++)
      await claimSignInAttempt("c@example.com", `botnet-${i}`, at(i));
    const now = T.accountCeiling;
    expect(await claimSignInAttempt("c@example.com", "owner", at(now))).toEqual({ allowed: true });
    const again = await claimSignInAttempt("c@example.com", "owner", at(now));
    expect(again).toEqual({ allowed: false, retryAfterSeconds: T.baseDelaySeconds });
    expect(await claimSignInAttempt("c@example.com", "owner", at(now + 2))).toEqual({
      allowed: true,
    });
  });
});
