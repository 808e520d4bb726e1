import "server-only";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { RequestKind } from "@/lib/domain/kinds";
import type { EventData, OutboxEventType } from "@/lib/notify/events";
import { getDb, type Executor } from "../client";
import {
  outboxDeliveries,
  outboxEvents,
  type OutboxDeliveryRow,
  type OutboxEventRow,
} from "../schema";
import { nowUtc } from "./requests";

/*
 * The outbox: events written in the transaction that made them happen, fanned out to
 * one delivery per subscriber of each channel, and the deliveries claimed and settled
 * by the worker (server/notify/worker.ts). Everything runs on the database's clock.
 *
 * Another channel (email) plugs in as a `Channel` (server/notify/channels.ts): its
 * `targets` are stored as deliveries like a webhook's, and it gets the same claims,
 * lease, retries and give-up.
 */

/** NOTIFY channel that wakes every process's worker when an event commits. */
export const OUTBOX_CHANNEL = "nexus_outbox";

/**
 * Record an event inside the caller's transaction (nothing if this request already has
 * one of this type: the unique constraint). Returns whether it was new.
 */
export async function recordEvent(
  tx: Pick<Executor, "insert" | "execute">,
  type: OutboxEventType,
  kind: RequestKind,
  data: EventData,
): Promise<boolean> {
  const inserted = await tx
    .insert(outboxEvents)
    .values({
      type,
      requestType: kind,
      requestId: data.id,
      agentId: data.agent_id,
      payload: data,
      createdAt: sql`${nowUtc}`,
    })
    .onConflictDoNothing()
    .returning({ id: outboxEvents.id });
  if (inserted.length > 0) await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
  return inserted.length > 0;
}

/**
 * Who should get each of a batch of events on one channel (inside the dispatch
 * transaction): one list per event, in the events' order. A batch, so that a channel
 * asks the database once per dispatch, not once per event (issue 16).
 */
export type TargetsOf = (tx: Executor, events: OutboxEventRow[]) => Promise<string[][]>;

/**
 * Fan out up to `limit` undispatched events into deliveries, one transaction; events
 * another process is fanning out are skipped (SKIP LOCKED). Returns how many events,
 * and how many deliveries they made (`onDeliveries`).
 */
export async function dispatchEvents(
  channels: Record<string, TargetsOf>,
  giveUpAfterMs: number,
  limit = 100,
  onDeliveries?: (n: number) => void,
): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(outboxEvents)
      .where(isNull(outboxEvents.dispatchedAt))
      .orderBy(asc(outboxEvents.createdAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (events.length === 0) return 0;
    // every delivery of the batch in one INSERT (a round trip per event was most of a
    // batch's time under load)
    const deliveries: { eventId: string; channel: string; target: string }[] = [];
    for (const [channel, targetsOf] of Object.entries(channels)) {
      const targets = await targetsOf(tx, events);
      events.forEach((event, i) => {
        for (const target of targets[i] ?? [])
          deliveries.push({ eventId: event.id, channel, target });
      });
    }
    if (deliveries.length > 0)
      await tx
        .insert(outboxDeliveries)
        .values(
          deliveries.map((x) => ({
            ...x,
            nextAttemptAt: sql`${nowUtc}`,
            createdAt: sql`${nowUtc}`,
            giveUpAt: sql`${nowUtc} + make_interval(secs => ${giveUpAfterMs / 1000})`,
          })),
        )
        .onConflictDoNothing();
    onDeliveries?.(deliveries.length);
    await tx
      .update(outboxEvents)
      .set({ dispatchedAt: sql`${nowUtc}` })
      .where(
        inArray(
          outboxEvents.id,
          events.map((e) => e.id),
        ),
      );
    return events.length;
  });
}

export interface ClaimedDelivery {
  delivery: OutboxDeliveryRow;
  event: OutboxEventRow;
}

const due = (channels: string[]) =>
  and(
    eq(outboxDeliveries.status, "pending"),
    inArray(outboxDeliveries.channel, channels),
    lte(outboxDeliveries.nextAttemptAt, sql`${nowUtc}`),
    or(isNull(outboxDeliveries.leaseUntil), lte(outboxDeliveries.leaseUntil, sql`${nowUtc}`)),
  );

/** Due deliveries a claim looks at, at most (see claimDeliveries). */
const CLAIM_WINDOW = 500;

/** `channel:target`, the key of one subscriber. */
export const targetKey = (channel: string, target: string) => `${channel}:${target}`;

/**
 * Claim up to `limit` due deliveries for `leaseMs`: one statement, the rows picked with
 * FOR UPDATE SKIP LOCKED, so two processes never claim the same one. The lease outlives
 * the attempt's timeout; if this process dies mid-attempt, another retries after it.
 * At most `perTarget` per subscriber, none for the `busy` ones (targetKey): a receiver
 * that hangs cannot take every slot.
 */
export async function claimDeliveries(
  channels: string[],
  limit: number,
  leaseMs: number,
  opts: { perTarget?: number; busy?: string[] } = {},
): Promise<ClaimedDelivery[]> {
  if (limit <= 0 || channels.length === 0) return [];
  const db = await getDb();
  const d = outboxDeliveries;
  const busy = opts.busy ?? [];
  // Candidates: the first CLAIM_WINDOW due deliveries in time order (read off the
  // partial index on pending rows), at most `perTarget` of each subscriber. The window
  // function cannot sit beside FOR UPDATE: it picks candidates, the outer query locks
  // them. Bounding the window keeps a claim's cost independent of the backlog: a window
  // over every due delivery made each claim read the whole backlog, and with claims of a
  // few deliveries at a time draining N deliveries cost N² (a few thousand deliveries
  // took minutes). Fairness does not need the whole backlog: a subscriber at its limit
  // is `busy` and left out of the window.
  const notBusy = busy.length
    ? sql` AND (${d.channel} || ':' || ${d.target}) NOT IN (${sql.join(
        busy.map((b) => sql`${b}`),
        sql`, `,
      )})`
    : sql``;
  const candidates = sql`(SELECT c.id FROM (SELECT w.id, row_number() OVER (PARTITION BY w.channel, w.target ORDER BY w.next_attempt_at) AS n
      FROM (SELECT ${d.id} AS id, ${d.channel} AS channel, ${d.target} AS target, ${d.nextAttemptAt} AS next_attempt_at
              FROM ${d} WHERE ${due(channels)}${notBusy}
             ORDER BY ${d.nextAttemptAt} LIMIT ${CLAIM_WINDOW}) w) c
     WHERE c.n <= ${opts.perTarget ?? limit})`;
  const picked = db
    .select({ id: outboxDeliveries.id })
    .from(outboxDeliveries)
    // ARRAY(…): the candidates are computed once (an InitPlan), then found by primary
    // key. As `id IN (…)` the planner, its statistics behind a table that grew by
    // thousands of rows since the last ANALYZE, re-ran the window for every pending row
    // (a nested loop: 0.9 s per claim at 2,600 pending, measured)
    .where(and(sql`${d.id} = ANY(ARRAY${candidates})`, due(channels)))
    .orderBy(asc(outboxDeliveries.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(outboxDeliveries)
    .set({
      leaseUntil: sql`${nowUtc} + make_interval(secs => ${leaseMs / 1000})`,
      attempts: sql`${outboxDeliveries.attempts} + 1`,
      lastAttemptAt: sql`${nowUtc}`,
    })
    .where(inArray(outboxDeliveries.id, picked))
    .returning();
  if (claimed.length === 0) return [];
  const events = await db
    .select()
    .from(outboxEvents)
    .where(
      inArray(
        outboxEvents.id,
        claimed.map((d) => d.eventId),
      ),
    );
  const byId = new Map(events.map((e) => [e.id, e]));
  return claimed.flatMap((delivery) => {
    const event = byId.get(delivery.eventId);
    return event ? [{ delivery, event }] : [];
  });
}

/**
 * When the next pending delivery that no lease holds falls due (null: none), for the
 * worker's timer: the first row of the partial index on pending rows, so the cost does
 * not grow with the backlog (a MIN over every pending row did, once per cycle). Leased
 * rows are left out: this process's own attempts wake the worker when they end, and the
 * lease of a process that died is noticed by the next sweep (every sweepMs).
 */
export async function nextDueAt(channels: string[]): Promise<Date | null> {
  if (channels.length === 0) return null;
  const db = await getDb();
  const d = outboxDeliveries;
  const [row] = await db
    .select({
      at: sql<string>`to_char(${d.nextAttemptAt}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      now: sql<string>`to_char(${nowUtc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(d)
    .where(
      and(
        eq(d.status, "pending"),
        inArray(d.channel, channels),
        or(isNull(d.leaseUntil), lte(d.leaseUntil, sql`${nowUtc}`)),
      ),
    )
    .orderBy(asc(d.nextAttemptAt))
    .limit(1);
  if (!row?.at) return null;
  // as an offset from the database's clock, applied to ours
  return new Date(Date.now() + (Date.parse(row.at) - Date.parse(row.now)));
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** the receiver asked to wait this long (Retry-After) */
  retryAfterMs?: number | null;
  /** do not retry (the target is gone or disabled) */
  final?: boolean;
}

/** Delay before attempt n+1 after n failures: exponential, capped, ±25% jitter. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random) {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.75 + random() * 0.5));
}

/**
 * Settle an attempt: delivered, or pending again after `retryInMs`, or failed when the
 * retry would fall after its give-up time (or the outcome is final). Only the claim's
 * holder settles it (lease still ours: attempts unchanged).
 */
export async function settleDelivery(
  claimed: OutboxDeliveryRow,
  outcome: AttemptOutcome,
  retryInMs: number,
): Promise<"delivered" | "pending" | "failed"> {
  const db = await getDb();
  const d = outboxDeliveries;
  const common = {
    leaseUntil: null,
    lastStatusCode: outcome.statusCode,
    lastLatencyMs: Math.round(outcome.latencyMs),
    lastError: outcome.error?.slice(0, 500) ?? null,
  };
  const mine = and(eq(d.id, claimed.id), eq(d.attempts, claimed.attempts), eq(d.status, "pending"));
  if (outcome.ok) {
    await db
      .update(d)
      .set({ ...common, status: "delivered", deliveredAt: sql`${nowUtc}` })
      .where(mine);
    return "delivered";
  }
  const next = sql`${nowUtc} + make_interval(secs => ${retryInMs / 1000})`;
  const [row] = await db
    .update(d)
    .set({
      ...common,
      status: outcome.final
        ? "failed"
        : sql`CASE WHEN ${next} > ${d.giveUpAt} THEN 'failed' ELSE 'pending' END`,
      nextAttemptAt: next,
    })
    .where(mine)
    .returning({ status: d.status });
  return (row?.status as "pending" | "failed" | undefined) ?? "pending";
}

/**
 * Give up every pending delivery to one target (it was disabled or removed). One being
 * attempted right now is left to its attempt, which finds the target disabled next time.
 */
export async function failPendingDeliveries(
  tx: Pick<Executor, "update">,
  channel: string,
  target: string,
  reason: string,
) {
  await tx
    .update(outboxDeliveries)
    .set({ status: "failed", lastError: reason, leaseUntil: null })
    .where(
      and(
        eq(outboxDeliveries.channel, channel),
        eq(outboxDeliveries.target, target),
        eq(outboxDeliveries.status, "pending"),
        or(isNull(outboxDeliveries.leaseUntil), lte(outboxDeliveries.leaseUntil, sql`${nowUtc}`)),
      ),
    );
}
