import "server-only";
import { and, desc, eq, gte, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { OutboxEventType, WebhookFormat } from "@/lib/notify/events";
import { getDb, type Executor } from "../client";
import {
  outboxDeliveries,
  outboxEvents,
  webhooks,
  type OutboxEventRow,
  type WebhookRow,
} from "../schema";
import { recordAudit } from "./audit";
import { failPendingDeliveries } from "./outbox";
import { nowUtc } from "./requests";

/** The outbox channel name of webhooks (outbox_deliveries.channel). */
export const WEBHOOK_CHANNEL = "webhook";

export interface NewWebhook {
  url: string;
  format: WebhookFormat;
  events: OutboxEventType[];
  agentId: string | null;
  kind: string | null;
  secret: string;
  createdBy: string | null;
}

export async function createWebhook(input: NewWebhook): Promise<WebhookRow> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(webhooks).values(input).returning();
    await recordAudit(tx, {
      event: "settings.webhook_added",
      actor: input.createdBy,
      subjectType: "webhook",
      subjectId: row!.id,
      details: {
        url: row!.url,
        events: row!.events,
        format: row!.format,
        agent_id: row!.agentId,
        kind: row!.kind,
      },
    });
    return row!;
  });
}

/** Every webhook, oldest first. */
export async function listWebhooks(): Promise<WebhookRow[]> {
  const db = await getDb();
  return db.select().from(webhooks).orderBy(webhooks.createdAt, webhooks.id);
}

export async function getWebhook(id: string): Promise<WebhookRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row ?? null;
}

/** Remove a webhook and its deliveries' history. */
export async function removeWebhook(id: string, actor: string | null = null): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const removed = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning();
    if (removed.length === 0) return false;
    await recordAudit(tx, {
      event: "settings.webhook_removed",
      actor,
      subjectType: "webhook",
      subjectId: id,
      details: { url: removed[0]!.url },
    });
    await tx
      .delete(outboxDeliveries)
      .where(and(eq(outboxDeliveries.channel, WEBHOOK_CHANNEL), eq(outboxDeliveries.target, id)));
    return true;
  });
}

/** Enable a disabled webhook again (its failure run starts afresh). */
export async function enableWebhook(id: string, actor: string | null = null): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(webhooks)
      .set({ disabledAt: null, disabledReason: null, failingSince: null })
      .where(eq(webhooks.id, id))
      .returning({ id: webhooks.id });
    if (rows.length === 0) return false;
    await recordAudit(tx, {
      event: "settings.webhook_enabled",
      actor,
      subjectType: "webhook",
      subjectId: id,
    });
    return true;
  });
}

/** The webhooks that receive `event` (the outbox channel's targets): those there when it happened. */
export async function webhookTargets(tx: Executor, events: OutboxEventRow[]): Promise<string[][]> {
  if (events.length === 0) return [];
  const found = await tx
    .select({ event: outboxEvents.id, id: webhooks.id })
    .from(outboxEvents)
    .innerJoin(
      webhooks,
      and(
        isNull(webhooks.disabledAt),
        sql`${webhooks.createdAt} <= ${outboxEvents.createdAt}`,
        sql`${outboxEvents.type} = ANY(${webhooks.events})`,
        sql`(${webhooks.agentId} IS NULL OR ${webhooks.agentId} = ${outboxEvents.agentId})`,
        sql`(${webhooks.kind} IS NULL OR ${webhooks.kind} = ${outboxEvents.requestType})`,
      ),
    )
    .where(
      inArray(
        outboxEvents.id,
        events.map((e) => e.id),
      ),
    );
  return events.map((e) => found.filter((f) => f.event === e.id).map((f) => f.id));
}

/** A success ends the webhook's failure run. */
export async function markWebhookHealthy(id: string) {
  const db = await getDb();
  await db
    .update(webhooks)
    .set({ failingSince: null })
    .where(and(eq(webhooks.id, id), isNotNull(webhooks.failingSince)));
}

/**
 * A failure: start (or continue) the failure run; a run longer than `disableAfterMs`
 * disables the webhook, says why, and gives up its pending deliveries. Returns whether
 * this call disabled it.
 */
export async function markWebhookFailing(
  id: string,
  disableAfterMs: number,
  lastError: string,
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhooks)
      .set({ failingSince: sql`COALESCE(${webhooks.failingSince}, ${nowUtc})` })
      .where(and(eq(webhooks.id, id), isNull(webhooks.disabledAt)))
      .returning({
        failingSince: webhooks.failingSince,
        overdue: sql<boolean>`${webhooks.failingSince} <= ${nowUtc} - make_interval(secs => ${disableAfterMs / 1000})`,
      });
    if (!row || !row.overdue) return false;
    const since = row.failingSince?.toISOString().slice(0, 16).replace("T", " ") ?? "?";
    const reason =
      `Disabled: every delivery failed since ${since} UTC. Last error: ${lastError}`.slice(0, 600);
    await tx
      .update(webhooks)
      .set({ disabledAt: sql`${nowUtc}`, disabledReason: reason })
      .where(eq(webhooks.id, id));
    await failPendingDeliveries(tx, WEBHOOK_CHANNEL, id, "webhook disabled");
    return true;
  });
}

export interface DeliveryView {
  id: string;
  eventType: string;
  requestType: string;
  requestId: string;
  status: string;
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A webhook's most recent deliveries, newest first. */
export async function recentDeliveries(webhookId: string, limit = 10): Promise<DeliveryView[]> {
  const db = await getDb();
  const d = outboxDeliveries;
  return db
    .select({
      id: d.id,
      eventType: outboxEvents.type,
      requestType: outboxEvents.requestType,
      requestId: outboxEvents.requestId,
      status: d.status,
      attempts: d.attempts,
      lastAttemptAt: d.lastAttemptAt,
      lastStatusCode: d.lastStatusCode,
      lastLatencyMs: d.lastLatencyMs,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    })
    .from(d)
    .innerJoin(outboxEvents, eq(outboxEvents.id, d.eventId))
    .where(and(eq(d.channel, WEBHOOK_CHANNEL), eq(d.target, webhookId)))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit);
}

/**
 * Send a delivery again (the same webhook-id: receivers that saw it dedupe): due now,
 * with a fresh give-up horizon. Returns false when there is no such delivery or it is
 * being attempted right now.
 */
export async function redeliver(deliveryId: string, giveUpAfterMs: number): Promise<boolean> {
  const db = await getDb();
  const d = outboxDeliveries;
  const rows = await db
    .update(d)
    .set({
      status: "pending",
      nextAttemptAt: sql`${nowUtc}`,
      giveUpAt: sql`${nowUtc} + make_interval(secs => ${giveUpAfterMs / 1000})`,
      leaseUntil: null,
    })
    .where(
      and(
        eq(d.id, deliveryId),
        eq(d.channel, WEBHOOK_CHANNEL),
        sql`(${d.leaseUntil} IS NULL OR ${d.leaseUntil} <= ${nowUtc} OR ${d.status} <> 'pending')`,
      ),
    )
    .returning({ id: d.id });
  if (rows.length > 0) await db.execute(sql`SELECT pg_notify('nexus_outbox', '')`);
  return rows.length > 0;
}

export interface WebhookBacklog {
  /** deliveries waiting to be sent (first attempt or a retry) */
  pending: number;
  /** of those, how many failed at least once */
  retrying: number;
  /** deliveries given up in the last 24 hours */
  failedLastDay: number;
  /** when the oldest pending delivery was created (null: none) */
  oldestPendingAt: Date | null;
  webhooks: { active: number; failing: number; disabled: number };
  /** webhooks failing or disabled, for a status page */
  unhealthy: {
    id: string;
    url: string;
    failingSince: Date | null;
    disabledReason: string | null;
  }[];
}

/** Counts for the status page (issue 13): the backlog and the failing webhooks. */
export async function webhookBacklog(): Promise<WebhookBacklog> {
  const db = await getDb();
  const d = outboxDeliveries;
  const [counts] = await db
    .select({
      pending: sql<number>`COUNT(*) FILTER (WHERE ${d.status} = 'pending')`.mapWith(Number),
      retrying:
        sql<number>`COUNT(*) FILTER (WHERE ${d.status} = 'pending' AND ${d.attempts} > 0)`.mapWith(
          Number,
        ),
      failedLastDay:
        sql<number>`COUNT(*) FILTER (WHERE ${d.status} = 'failed' AND ${d.lastAttemptAt} >= ${nowUtc} - interval '1 day')`.mapWith(
          Number,
        ),
      oldest: sql<
        string | null
      >`to_char(MIN(${d.createdAt}) FILTER (WHERE ${d.status} = 'pending'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(d)
    .where(
      and(eq(d.channel, WEBHOOK_CHANNEL), gte(d.createdAt, sql`${nowUtc} - interval '30 days'`)),
    );
  const hooks = await listWebhooks();
  const unhealthy = hooks.filter((h) => h.disabledAt || h.failingSince);
  return {
    pending: counts?.pending ?? 0,
    retrying: counts?.retrying ?? 0,
    failedLastDay: counts?.failedLastDay ?? 0,
    oldestPendingAt: counts?.oldest ? new Date(counts.oldest) : null,
    webhooks: {
      active: hooks.filter((h) => !h.disabledAt).length,
      failing: hooks.filter((h) => !h.disabledAt && h.failingSince).length,
      disabled: hooks.filter((h) => h.disabledAt).length,
    },
    unhealthy: unhealthy.map((h) => ({
      id: h.id,
      url: h.url,
      failingSince: h.failingSince,
      disabledReason: h.disabledReason,
    })),
  };
}
