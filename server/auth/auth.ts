import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { getDb, type Db } from "@/db/client";
import { getOrCreateSecret } from "@/db/queries/secrets";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { env, publicUrl } from "@/lib/env";
import { log } from "@/lib/log";

/*
 * better-auth on our own tables (db/schema.ts). Email + password only, no public
 * sign-up: accounts come from /setup, Settings → Users and the CLI (server/auth/users.ts).
 * Built lazily because it needs the open database and the secret stored in it.
 */

/** Per-address limit on the sign-in endpoint (better-auth's limiter, in rate_limits). */
export const SIGN_IN_RATE = { window: 300, max: 20 } as const;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
export const SESSION_DAYS = 7;

/** NEXUS_AUTH_SECRET, else a random secret generated once and kept in app_secrets. */
export async function authSecret(): Promise<string> {
  return (
    env().NEXUS_AUTH_SECRET ??
    getOrCreateSecret("auth_secret", () => randomBytes(32).toString("base64url"))
  );
}

function createAuth(db: Db, secret: string) {
  const baseURL = publicUrl();
  const secure = baseURL.startsWith("https:");
  return betterAuth({
    appName: "Nexus",
    baseURL,
    basePath: "/api/auth",
    secret,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        rateLimit: rateLimits,
      },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
      },
    },
    session: {
      expiresIn: SESSION_DAYS * 24 * 60 * 60,
      updateAge: 24 * 60 * 60,
      // No cookie cache: every request reads the session row, so a role change or a
      // sign-out elsewhere takes effect at once.
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": SIGN_IN_RATE },
    },
    // Same-origin check on state-changing auth requests: the configured public URL, and
    // the origin the request itself was sent to (as Next.js does for server actions).
    trustedOrigins: (request) => {
      const origins = [baseURL];
      const host = request?.headers.get("host");
      if (host)
        origins.push(`${secure ? "https" : new URL(request!.url).protocol.slice(0, -1)}://${host}`);
      return origins;
    },
    advanced: {
      useSecureCookies: secure,
      cookiePrefix: "nexus",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
    },
    telemetry: { enabled: false },
    logger: {
      level: "error",
      log: (level, message, ...args) => log()[level]({ args }, `auth: ${message}`),
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const g = globalThis as unknown as { __nexusAuth?: { db: Db; auth: Promise<Auth> } };

/**
 * The process's better-auth instance, bound to the process's database (kept on
 * globalThis: Next loads modules more than once; rebuilt if the database was reopened).
 */
export async function getAuth(): Promise<Auth> {
  const db = await getDb();
  if (g.__nexusAuth?.db !== db) {
    const auth = authSecret().then((secret) => createAuth(db, secret));
    g.__nexusAuth = { db, auth };
    auth.catch(() => {
      if (g.__nexusAuth?.auth === auth) g.__nexusAuth = undefined;
    });
  }
  return g.__nexusAuth.auth;
}
