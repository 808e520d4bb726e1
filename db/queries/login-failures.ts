import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { SIGN_IN_THROTTLE as T, throttleDelaySeconds } from "@/lib/auth/sign-in-throttle";
import { getDb } from "../client";
import { signInFailures } from "../schema";

/*
 * Sign-in throttle storage (policy: lib/auth/sign-in-throttle.ts). An attempt is counted
 * as a failure when it is let through (one atomic upsert that also checks the delay, so
 * parallel attempts cannot slip through together); a successful sign-in deletes that
 * account-and-address count again. Stored in the database: it holds across processes.
 */

const ts = (d: Date) => sql`${d.toISOString()}::timestamp`;

export type SignInClaim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Let one sign-in attempt for `email` from `address` through, or say how long to wait. */
export async function claimSignInAttempt(
  email: string,
  address: string,
  now = new Date(),
): Promise<SignInClaim> {
  const db = await getDb();
  const resetBefore = new Date(now.getTime() - T.resetSeconds * 1000);
  const ceilingSince = new Date(now.getTime() - T.ceilingWindowSeconds * 1000);
  const [{ total } = { total: 0 }] = await db
    .select({ total: sql<number>`coalesce(sum(${signInFailures.count}), 0)::int` })
    .from(signInFailures)
    .where(and(eq(signInFailures.email, email), gte(signInFailures.lastFailedAt, ceilingSince)));
  const free = Number(total) >= T.accountCeiling ? T.freeFailuresOverCeiling : T.freeFailures;
  const f = signInFailures;
  // The delay after `count` failures, as SQL: throttleDelaySeconds in the database.
  const delay = sql`LEAST(${T.baseDelaySeconds} * power(2, LEAST(${f.count} - ${free}, 20)), ${T.maxDelaySeconds})`;
  const stale = sql`${f.lastFailedAt} < ${ts(resetBefore)}`;
  const claimed = await db
    .insert(f)
    .values({ email, address, count: 1, firstFailedAt: now, lastFailedAt: now })
    .onConflictDoUpdate({
      target: [f.email, f.address],
      set: {
        count: sql`CASE WHEN ${stale} THEN 1 ELSE ${f.count} + 1 END`,
        firstFailedAt: sql`CASE WHEN ${stale} THEN ${ts(now)} ELSE ${f.firstFailedAt} END`,
        lastFailedAt: now,
      },
      setWhere: sql`${stale} OR ${f.count} < ${free} OR ${f.lastFailedAt} + make_interval(secs => ${delay}) <= ${ts(now)}`,
    })
    .returning({ count: f.count });
  if (claimed.length > 0) return { allowed: true };
  const [row] = await db
    .select()
    .from(f)
    .where(and(eq(f.email, email), eq(f.address, address)));
  const until = row
    ? row.lastFailedAt.getTime() + throttleDelaySeconds(row.count, free) * 1000
    : now.getTime();
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
  };
}

/** A successful sign-in: forget this address's failures for the account. */
export async function clearSignInFailures(email: string, address: string) {
  const db = await getDb();
  await db
    .delete(signInFailures)
    .where(and(eq(signInFailures.email, email), eq(signInFailures.address, address)));
}

/** A new password (CLI, admin): forget every failure for the account. */
export async function clearAccountSignInFailures(email: string) {
  const db = await getDb();
  await db.delete(signInFailures).where(eq(signInFailures.email, email));
}

/** Forget counts nobody added to for a whole reset period (keeps the table small). */
export async function pruneSignInFailures(now = new Date()) {
  const db = await getDb();
  await db
    .delete(signInFailures)
    .where(lt(signInFailures.lastFailedAt, new Date(now.getTime() - T.resetSeconds * 1000)));
}
