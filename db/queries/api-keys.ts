import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb } from "../client";
import { notifyInvalidate } from "../events";
import { apiKeys, type ApiKeyRole, type ApiKeyRow } from "../schema";
import { recordAudit } from "./audit";

/*
 * API keys: `nxs_` + 32 random bytes (base64url). Only the sha256 of the key is stored
 * (a fast hash is right here: the key has 256 bits of entropy, unlike a password).
 */
const PREFIX = "nxs_";

export function hashApiKey(key: string) {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export class ApiKeyNameTaken extends Error {
  override name = "ApiKeyNameTaken";
}

/** Create a key; returns the key itself, which is never retrievable again. */
export async function createApiKey(input: {
  name: string;
  role: ApiKeyRole;
  createdBy?: string | null;
  /** bind the key to this agent_id (null: it may submit as any agent) */
  agentId?: string | null;
}) {
  const db = await getDb();
  const key = PREFIX + randomBytes(32).toString("base64url");
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(apiKeys)
        .values({
          name: input.name,
          role: input.role,
          keyHash: hashApiKey(key),
          prefix: key.slice(0, 10),
          createdBy: input.createdBy ?? null,
          agentId: input.agentId ?? null,
        })
        .returning();
      await recordAudit(tx, {
        event: "key.created",
        actor: input.createdBy ?? null,
        subjectType: "key",
        subjectId: input.name,
        details: { role: input.role, agent_id: input.agentId ?? null, prefix: row!.prefix },
      });
      return { key, row: row! };
    });
  } catch (err) {
    if (
      String(
        (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code,
      ) === "23505"
    ) {
      throw new ApiKeyNameTaken(`An API key named "${input.name}" already exists`);
    }
    throw err;
  }
}

/**
 * The live (not revoked) key row for a presented key. Its last-used time is written
 * at most once a minute, so a busy agent does not turn every call into a row update.
 */
export async function verifyApiKey(key: string): Promise<ApiKeyRow | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
    row.lastUsedAt = now;
  }
  return row;
}

/*
 * The API's key check, cached: every agent call presents its key, and on the agent's
 * path (a hook per tool call) one SELECT per call is a measurable part of the answer
 * time. Only live keys are cached (an unknown key is never remembered, so guessing
 * cannot fill memory), for at most KEY_CACHE_MS: a key revoked anywhere — another
 * process, the CLI, psql — stops working within that time even if no notice arrives.
 * Revoking through Nexus also clears this process's cache at once and NOTIFYs the
 * others (server/events/hub.ts calls forgetCachedApiKeys), so in practice it is
 * immediate everywhere. A lookup that started before a clear is not stored.
 */
export const KEY_CACHE_MS = 500;
const KEY_CACHE_MAX = 10_000;

/**
 * On globalThis: Next.js loads this module more than once (route handlers, server
 * actions), and a revocation in one copy must clear the cache every copy reads.
 */
interface KeyCache {
  rows: Map<string, { row: ApiKeyRow; at: number }>;
  generation: number;
}
const g = globalThis as unknown as { __nexusKeyCache?: KeyCache };
const keyCache = () => (g.__nexusKeyCache ??= { rows: new Map(), generation: 0 });

export function forgetCachedApiKeys() {
  const c = keyCache();
  c.rows.clear();
  c.generation++;
}

export async function verifyApiKeyCached(key: string): Promise<ApiKeyRow | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  const c = keyCache();
  const hash = hashApiKey(key);
  const hit = c.rows.get(hash);
  if (hit && performance.now() - hit.at < KEY_CACHE_MS) return hit.row;
  const generation = c.generation;
  const started = performance.now();
  const row = await verifyApiKey(key);
  c.rows.delete(hash); // re-inserted last: the Map's order is then oldest first
  if (row && generation === c.generation) {
    if (c.rows.size >= KEY_CACHE_MAX) c.rows.delete(c.rows.keys().next().value!);
    c.rows.set(hash, { row, at: started });
  }
  return row;
}

export async function listApiKeys(): Promise<ApiKeyRow[]> {
  const db = await getDb();
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt));
}

/**
 * Revoke by name; returns false when no live key has that name. Every process forgets
 * its cached keys (a NOTIFY in the same transaction; this one at once).
 */
export async function revokeApiKey(name: string, actor: string | null = null): Promise<boolean> {
  const db = await getDb();
  const revoked = await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.name, name), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (rows.length === 0) return false;
    await notifyInvalidate(tx, "api_keys");
    await recordAudit(tx, { event: "key.revoked", actor, subjectType: "key", subjectId: name });
    return true;
  });
  if (revoked) forgetCachedApiKeys();
  return revoked;
}
