import { test as base, expect, request as playwrightRequest } from "@playwright/test";
import known from "./users.json";

/*
 * Every e2e spec imports `test` and `expect` from here: `page` (and `context`) start
 * signed in. Default role reviewer; switch per file or describe block with
 * `test.use({ role: "viewer" })`, "admin", or "anonymous" (no session).
 * The accounts exist before the server starts (scripts/e2e-server.mjs creates them
 * with the admin CLI); each role signs in once per worker and the session is reused.
 * Don't sign these shared sessions out: create your own user for that (see auth.spec.ts).
 */
export type E2eRole = "admin" | "reviewer" | "viewer" | "anonymous";
type StorageState = Awaited<
  ReturnType<Awaited<ReturnType<typeof playwrightRequest.newContext>>["storageState"]>
>;

export const E2E_PASSWORD = known.password;
export const E2E_USERS = known.users;

const sessions = new Map<string, StorageState>();

/** Sign in through better-auth's endpoint; returns the session as a storage state. */
export async function signInState(
  baseURL: string,
  email: string,
  password: string,
): Promise<StorageState> {
  const ctx = await playwrightRequest.newContext({
    baseURL,
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { origin: new URL(baseURL).origin },
  });
  try {
    const res = await ctx.post("/api/auth/sign-in/email", { data: { email, password } });
    if (!res.ok())
      throw new Error(`e2e sign-in as ${email} failed: ${res.status()} ${await res.text()}`);
    return await ctx.storageState();
  } finally {
    await ctx.dispose();
  }
}

export const test = base.extend<{ role: E2eRole }>({
  role: ["reviewer", { option: true }],
  storageState: async ({ role, baseURL }, provide) => {
    if (role === "anonymous") return provide({ cookies: [], origins: [] });
    const key = `${baseURL}|${role}`;
    let state = sessions.get(key);
    if (!state) {
      state = await signInState(baseURL!, E2E_USERS[role], E2E_PASSWORD);
      sessions.set(key, state);
    }
    await provide(state);
  },
});

export { expect };
