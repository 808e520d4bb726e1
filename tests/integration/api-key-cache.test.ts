import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { Database } from "@/db/client";
import {
  KEY_CACHE_MS,
  createApiKey,
  revokeApiKey,
  verifyApiKeyCached,
} from "@/db/queries/api-keys";
import { EVENTS_CHANNEL } from "@/db/events";
import { apiKeys } from "@/db/schema";
import { ensureListening } from "@/server/events/hub";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * The API's key check is cached in memory (db/queries/api-keys.ts). What must hold: a key
 * revoked through Nexus stops working at once; a key revoked behind Nexus's back (another
 * process, psql) stops working within KEY_CACHE_MS even with no notice at all; and
 * another process's notice clears the cache without waiting for that. The clock the
 * cache reads (performance.now) is frozen here, so "still cached" is not a race.
 */

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});
afterEach(() => {
  vi.useRealTimers();
});

const revokeBehindOurBack = (name: string) =>
  database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.name, name));

describe("API key cache", () => {
  test("a key revoked through Nexus is refused on the next call", async () => {
    const { key } = await createApiKey({ name: "cache-a", role: "agent" });
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-a" });
    expect(await revokeApiKey("cache-a")).toBe(true);
    expect(await verifyApiKeyCached(key)).toBeNull();
  });

  test("a key revoked elsewhere, with no notice, is refused once KEY_CACHE_MS has passed", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { key } = await createApiKey({ name: "cache-b", role: "agent" });
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-b" });
    await revokeBehindOurBack("cache-b");
    // Cached: the clock has not moved (this is what saves the SELECT per call).
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-b" });
    vi.advanceTimersByTime(KEY_CACHE_MS - 1);
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-b" });
    vi.advanceTimersByTime(1);
    expect(await verifyApiKeyCached(key)).toBeNull();
  });

  test("another process's notice clears the cache without waiting for it to age", async () => {
    await ensureListening();
    vi.useFakeTimers({ toFake: ["performance"] });
    const { key } = await createApiKey({ name: "cache-c", role: "agent" });
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-c" });
    await revokeBehindOurBack("cache-c");
    expect(await verifyApiKeyCached(key)).toMatchObject({ name: "cache-c" });
    // What revokeApiKey sends in another process.
    await database.db.execute(
      sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ type: "cache.invalidate", topic: "api_keys" })})`,
    );
    // Polled on the real clock (vi.waitFor would advance the frozen one).
    const deadline = Date.now() + 5000;
    while ((await verifyApiKeyCached(key)) !== null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await verifyApiKeyCached(key)).toBeNull();
  });

  test("a revocation in one copy of the module is seen by another (Next.js loads modules more than once)", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { key } = await createApiKey({ name: "cache-d", role: "agent" });
    vi.resetModules();
    const other = await import("@/db/queries/api-keys");
    expect(other.verifyApiKeyCached).not.toBe(verifyApiKeyCached); // a second copy
    expect(await other.verifyApiKeyCached(key)).toMatchObject({ name: "cache-d" });
    expect(await revokeApiKey("cache-d")).toBe(true);
    expect(await other.verifyApiKeyCached(key)).toBeNull();
  });

  test("unknown and malformed keys are refused", async () => {
    expect(await verifyApiKeyCached("nxs_" + "A".repeat(43))).toBeNull();
    expect(await verifyApiKeyCached("not-a-key")).toBeNull();
  });
});
