import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../client";
import { apiKeys, users } from "../schema";

/*
 * Cheap re-checks for callers that stay connected (event streams): one indexed lookup
 * by primary key each.
 */

/** True while the key exists and is not revoked. */
export async function apiKeyIsLive(id: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return !!row;
}

/** The user's current role, or null when the user is gone or disabled. */
export async function activeUserRole(id: string): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row && !row.disabledAt ? row.role : null;
}
