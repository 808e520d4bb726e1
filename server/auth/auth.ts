import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getDb, type Db } from "@/db/client";
import { audit } from "@/db/queries/audit";
import { claimSignInAttempt, clearSignInFailures } from "@/db/queries/login-failures";
import { getOrCreateSecret } from "@/db/queries/secrets";
import { isUserDisabled } from "@/db/queries/users";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { addressKey, CLIENT_ADDRESS_HEADER, requestIsHttps } from "@/lib/auth/client-address";
import { env, publicUrl } from "@/lib/env";
import { log } from "@/lib/log";

/*
 * better-auth on our own tables (db/schema.ts). Email + password only, no public
 * sign-up: accounts come from /setup, Settings → Users and the CLI (server/auth/users.ts).
 * Built lazily because it needs the open database and the secret stored in it.
 */

/**
 * Per-address limit on the sign-in endpoint (better-auth's limiter, in rate_limits), keyed
 * by the address server/auth/handler.ts resolves (never a client-sent header).
 */
const signInRate = () => ({ window: 300, max: env().NEXUS_SIGN_IN_RATE_MAX });
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
export const SESSION_DAYS = 7;
export const DISABLED_MESSAGE = "This account is disabled. Ask an admin to enable it.";
const SIGN_IN = "/sign-in/email";

/** The account and address a sign-in attempt is throttled under (null: not a sign-in). */
function signInKey(ctx: { path?: string; body?: unknown; headers?: Headers }) {
  if (ctx.path !== SIGN_IN) return null;
  const email = (ctx.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== "string") return null; // refused by the endpoint's own validation
  return {
    email: email.trim().toLowerCase(),
    address: addressKey(ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? null),
  };
}

/*
 * The sign-in throttle (lib/auth/sign-in-throttle.ts) as better-auth hooks: they see the
 * body after better-auth has parsed it, whatever its encoding (JSON or a form), and
 * run for every way into the endpoint. A refused attempt never reaches the password check.
 */
const throttleHooks = {
  before: createAuthMiddleware(async (ctx) => {
    const key = signInKey(ctx);
    if (!key) return;
    const claim = await claimSignInAttempt(key.email, key.address);
    if (claim.allowed) return;
    log().warn({ email: key.email, address: key.address }, "sign-in throttled");
    await audit({
      event: "sign_in.failed",
      actor: key.email,
      subjectType: "user",
      subjectId: key.email,
      details: { address: key.address, throttled: true },
    });
    const s = claim.retryAfterSeconds;
    throw new APIError(
      "TOO_MANY_REQUESTS",
      {
        code: "TOO_MANY_ATTEMPTS",
        message: `Too many failed sign-in attempts for this account from your address. Try again in ${s < 60 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minutes`}.`,
      },
      { "Retry-After": String(s) },
    );
  }),
  after: createAuthMiddleware(async (ctx) => {
    const key = signInKey(ctx);
    if (!key) return;
    if (ctx.context.returned instanceof Error) {
      log().info({ email: key.email }, "failed sign-in");
      await audit({
        event: "sign_in.failed",
        actor: key.email,
        subjectType: "user",
        subjectId: key.email,
        details: { address: key.address },
      });
    } else await clearSignInFailures(key.email, key.address);
  }),
};

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
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    // A disabled account gets no session, whichever way it signs in.
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            if (await isUserDisabled(session.userId))
              throw new APIError("FORBIDDEN", {
                code: "ACCOUNT_DISABLED",
                message: DISABLED_MESSAGE,
              });
          },
        },
      },
    },
    hooks: throttleHooks,
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
      customRules: { [SIGN_IN]: signInRate() },
    },
    // Same-origin check on state-changing auth requests: the configured public URL, and
    // the origin the request itself was sent to (as Next.js does for server actions).
    trustedOrigins: (request) => {
      const origins = [baseURL];
      const host = request?.headers.get("host");
      if (host)
        origins.push(
          `${requestIsHttps(request!.headers, env().NEXUS_TRUST_PROXY, baseURL) ? "https" : new URL(request!.url).protocol.slice(0, -1)}://${host}`,
        );
      return origins;
    },
    advanced: {
      // The client's address, resolved by server/auth/handler.ts from the socket (or the
      // trusted proxies); a client-sent header of that name never gets this far.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
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
