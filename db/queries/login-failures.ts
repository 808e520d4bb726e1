import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { loginFailures } from "../schema";

/*
 * Per-account sign-in limit: after MAX failed attempts within WINDOW of the first one,
 * the account refuses further attempts until WINDOW has passed since the last failure.
 * A successful sign-in clears the count. Stored in the database, so it holds across
 * processes sharing it.
 */
export const LOGIN_FAILURE_MAX = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Seconds until this account may try again, or 0 when it may try now. */
export async function loginLockedForSeconds(email: string, now = new Date()): Promise<number> {
  const db = await getDb();
  const [row] = await db.select().from(loginFailures).where(eq(loginFailures.email, email));
  if (!row || row.count < LOGIN_FAILURE_MAX) return 0;
  const until = row.lastFailedAt.getTime() + LOGIN_FAILURE_WINDOW_MS;
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** Count one failed attempt (a count older than the window starts over). */
export async function recordLoginFailure(email: string, now = new Date()) {
  const db = await getDb();
  // Raw SQL parameters as UTC ISO text cast to TIMESTAMP: the same on both drivers.
  const windowStart = sql`${new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS).toISOString()}::timestamp`;
  const nowSql = sql`${now.toISOString()}::timestamp`;
  await db
    .insert(loginFailures)
    .values({ email, count: 1, firstFailedAt: now, lastFailedAt: now })
    .onConflictDoUpdate({
      target: loginFailures.email,
      set: {
        count: sql`CASE WHEN ${loginFailures.lastFailedAt} < ${windowStart} THEN 1 ELSE ${loginFailures.count} + 1 END`,
        firstFailedAt: sql`CASE WHEN ${loginFailures.lastFailedAt} < ${windowStart} THEN ${nowSql} ELSE ${loginFailures.firstFailedAt} END`,
        lastFailedAt: now,
      },
    });
  // Forget counts nobody added to for a whole window (keeps the table small).
  await db
    .delete(loginFailures)
    .where(lt(loginFailures.lastFailedAt, new Date(now.getTime() - 2 * LOGIN_FAILURE_WINDOW_MS)));
}

export async function clearLoginFailures(email: string) {
  const db = await getDb();
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
}
