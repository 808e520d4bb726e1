import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database } from "@/db/client";
import { claimDeliveries, nextDueAt, targetKey } from "@/db/queries/outbox";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Claims on a large backlog (db/queries/outbox.ts): a claim looks at a bounded window of
 * due deliveries, yet a subscriber behind another's long backlog is still served once
 * the first is at its limit (busy); the next-due time ignores leased rows.
 */

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

/** `n` due deliveries to `target`, due `agoS` seconds ago (one event each). */
async function backlog(target: string, n: number, agoS: number) {
  await database.db.execute(sql`
    WITH e AS (
      INSERT INTO outbox_events (type, request_type, request_id, agent_id, payload, created_at, dispatched_at)
      SELECT 'request.created', 'approval', gen_random_uuid(), 'a', '{}'::jsonb,
             (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
        FROM generate_series(1, ${n})
      RETURNING id)
    INSERT INTO outbox_deliveries (event_id, channel, target, next_attempt_at, created_at, give_up_at)
    SELECT id, 'webhook', ${target}, (now() AT TIME ZONE 'UTC') - ${agoS} * interval '1 second',
           (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + interval '1 day'
      FROM e`);
}

describe(`outbox claims on a large backlog (${testDbKind})`, () => {
  test("a subscriber behind 2,000 older deliveries of a busy one is claimed", async () => {
    const slow = randomUUID();
    const fast = randomUUID();
    await backlog(slow, 2000, 60); // older than anything of `fast`
    await backlog(fast, 3, 1);
    // nobody busy: the oldest first, at most perTarget of one subscriber
    const first = await claimDeliveries(["webhook"], 10, 30_000, { perTarget: 4 });
    expect(first.map((c) => c.delivery.target)).toEqual([slow, slow, slow, slow]);
    // `slow` at its limit: its 1,996 due deliveries do not hide `fast`'s
    const next = await claimDeliveries(["webhook"], 10, 30_000, {
      perTarget: 4,
      busy: [targetKey("webhook", slow)],
    });
    expect(next.map((c) => c.delivery.target)).toEqual([fast, fast, fast]);
    expect(next.every((c) => c.delivery.attempts === 1)).toBe(true);
  });

  test("the next due time is the oldest unleased pending delivery", async () => {
    const due = await nextDueAt(["webhook"]);
    expect(due).not.toBeNull();
    // 60 s ago: the slow subscriber's unclaimed ones (the claimed ones are leased)
    expect(Date.now() - due!.getTime()).toBeGreaterThan(50_000);
    await database.db.execute(
      sql`UPDATE outbox_deliveries SET lease_until = (now() AT TIME ZONE 'UTC') + interval '1 minute'`,
    );
    expect(await nextDueAt(["webhook"])).toBeNull();
  });
});
