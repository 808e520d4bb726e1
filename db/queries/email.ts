import "server-only";
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, type Executor } from "../client";
import {
  emailPreferences,
  outboxDeliveries,
  outboxEvents,
  users,
  type OutboxEventRow,
} from "../schema";
import { DEFAULT_DIGEST_MINUTES, digestTarget, type EmailMode } from "@/lib/email/preferences";
import { recordAudit } from "./audit";
import { nowUtc } from "./requests";

/*
 * The email channel's reads and writes (server/email/channel.ts). Targets are stored as
 * outbox deliveries like a webhook's: `<user id>` for an email of its own, `digest:<user
 * id>` for a request that goes into that reviewer's next digest.
 */

export const EMAIL_CHANNEL = "email";

/** Roles that decide requests: the ones email is for. */
const DECIDERS = ["reviewer", "admin"];

export interface EmailPreference {
  mode: EmailMode;
  digestMinutes: number;
}

export async function getEmailPreference(userId: string): Promise<EmailPreference> {
  const db = await getDb();
  const [row] = await db
    .select({ mode: emailPreferences.mode, digestMinutes: emailPreferences.digestMinutes })
    .from(emailPreferences)
    .where(eq(emailPreferences.userId, userId));
  return {
    mode: (row?.mode as EmailMode | undefined) ?? "none",
    digestMinutes: row?.digestMinutes ?? DEFAULT_DIGEST_MINUTES,
  };
}

export async function setEmailPreference(
  userId: string,
  pref: EmailPreference,
  actor: string | null = null,
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .insert(emailPreferences)
      .values({ userId, ...pref, updatedAt: sql`${nowUtc}` })
      .onConflictDoUpdate({
        target: emailPreferences.userId,
        set: { mode: pref.mode, digestMinutes: pref.digestMinutes, updatedAt: sql`${nowUtc}` },
      });
    await recordAudit(tx, {
      event: "settings.email_preferences",
      actor,
      subjectType: "user",
      subjectId: actor ?? userId,
      details: { mode: pref.mode, digest_minutes: pref.digestMinutes },
    });
  });
}

/**
 * Who gets an event by email (in the outbox's dispatch transaction): enabled reviewers
 * and admins who chose email. A new request: `each` → an email now, `digest` → the
 * digest. An escalation: everyone who chose email, at once, digest or not.
 */
export async function emailTargets(tx: Executor, events: OutboxEventRow[]): Promise<string[][]> {
  const mailed = (e: OutboxEventRow) =>
    e.type === "request.created" || e.type === "request.escalated";
  if (!events.some(mailed)) return events.map(() => []);
  const rows = await tx
    .select({ id: users.id, mode: emailPreferences.mode })
    .from(emailPreferences)
    .innerJoin(users, eq(users.id, emailPreferences.userId))
    .where(
      and(
        ne(emailPreferences.mode, "none"),
        isNull(users.disabledAt),
        inArray(users.role, DECIDERS),
      ),
    );
  return events.map((event) =>
    mailed(event)
      ? rows.map((r) =>
          event.type === "request.created" && r.mode === "digest" ? digestTarget(r.id) : r.id,
        )
      : [],
  );
}

/** The address, role, state and choice of a target's user (null: deleted). */
export async function recipient(userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      mode: emailPreferences.mode,
      digestMinutes: emailPreferences.digestMinutes,
    })
    .from(users)
    .leftJoin(emailPreferences, eq(emailPreferences.userId, users.id))
    .where(eq(users.id, userId));
  if (!row) return null;
  return {
    ...row,
    mode: (row.mode as EmailMode | null) ?? "none",
    digestMinutes: row.digestMinutes ?? DEFAULT_DIGEST_MINUTES,
    /** still someone email is for */
    wants:
      row.disabledAt === null && DECIDERS.includes(row.role) && (row.mode ?? "none") !== "none",
  };
}

/**
 * The requests waiting for one reviewer's digest (`digest:<user id>`): the pending
 * deliveries of that target with their events, oldest first. The oldest one sends the
 * digest for all (server/email/channel.ts).
 */
export async function digestBatch(
  target: string,
): Promise<{ id: string; event: OutboxEventRow }[]> {
  const db = await getDb();
  return db
    .select({ id: outboxDeliveries.id, event: outboxEvents })
    .from(outboxDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
    .where(
      and(
        eq(outboxDeliveries.channel, EMAIL_CHANNEL),
        eq(outboxDeliveries.target, target),
        eq(outboxDeliveries.status, "pending"),
      ),
    )
    .orderBy(asc(outboxEvents.createdAt), asc(outboxDeliveries.id));
}

/** Mark deliveries a digest listed as delivered (those still pending). */
export async function markDigested(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  await db
    .update(outboxDeliveries)
    .set({ status: "delivered", deliveredAt: sql`${nowUtc}`, leaseUntil: null, lastError: null })
    .where(and(inArray(outboxDeliveries.id, ids), eq(outboxDeliveries.status, "pending")));
}
