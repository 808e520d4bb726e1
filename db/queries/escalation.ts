import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { escalationSettings, outboxEvents } from "../schema";
import { recordAudit } from "./audit";
import { nowUtc } from "./requests";

/** The scope of the global setting (an agent's override is its agent_id). */
export const GLOBAL_SCOPE = "";

export interface EscalationSetting {
  /** null: the global setting */
  agentId: string | null;
  /** 0: never (an agent's override of the global setting) */
  minutes: number;
  updatedBy: string | null;
  updatedAt: Date;
}

export async function listEscalationSettings(): Promise<EscalationSetting[]> {
  const db = await getDb();
  const rows = await db.select().from(escalationSettings).orderBy(asc(escalationSettings.scope));
  return rows.map((r) => ({
    agentId: r.scope === GLOBAL_SCOPE ? null : r.scope,
    minutes: r.minutes,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt,
  }));
}

/** Set "escalate after N minutes pending", globally (agentId null) or for one agent. */
export async function setEscalation(agentId: string | null, minutes: number, by: string | null) {
  const db = await getDb();
  const scope = agentId ?? GLOBAL_SCOPE;
  await db.transaction(async (tx) => {
    await tx
      .insert(escalationSettings)
      .values({ scope, minutes, updatedBy: by, updatedAt: sql`${nowUtc}` })
      .onConflictDoUpdate({
        target: escalationSettings.scope,
        set: { minutes, updatedBy: by, updatedAt: sql`${nowUtc}` },
      });
    await recordAudit(tx, {
      event: "settings.escalation_set",
      actor: by,
      subjectType: "escalation",
      subjectId: agentId ?? "global",
      details: { minutes },
    });
  });
}

/** Remove a setting (an agent falls back to the global one; no global: no escalation). */
export async function clearEscalation(
  agentId: string | null,
  actor: string | null = null,
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(escalationSettings)
      .where(eq(escalationSettings.scope, agentId ?? GLOBAL_SCOPE))
      .returning();
    if (rows.length === 0) return false;
    await recordAudit(tx, {
      event: "settings.escalation_cleared",
      actor,
      subjectType: "escalation",
      subjectId: agentId ?? "global",
    });
    return true;
  });
}

/** The global threshold in minutes (null: not set or 0). */
export async function globalEscalationMinutes(): Promise<number | null> {
  const db = await getDb();
  const [row] = await db
    .select({ minutes: escalationSettings.minutes })
    .from(escalationSettings)
    .where(eq(escalationSettings.scope, GLOBAL_SCOPE));
  return row && row.minutes > 0 ? row.minutes : null;
}

/**
 * Escalations (request.escalated events) in [from, to), of one kind or all: the
 * breaches of the escalation target, for the metrics page.
 */
export async function countEscalations(
  from: Date | null,
  to: Date | null,
  kind: string | null,
): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(outboxEvents)
    .where(
      and(
        eq(outboxEvents.type, "request.escalated"),
        from ? gte(outboxEvents.createdAt, from) : undefined,
        to ? lt(outboxEvents.createdAt, to) : undefined,
        kind ? eq(outboxEvents.requestType, kind) : undefined,
      ),
    );
  return row?.n ?? 0;
}
