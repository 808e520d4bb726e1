import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "./client";

/** The one NOTIFY channel: every process LISTENs on it and fans out in memory. */
export const EVENTS_CHANNEL = "nexus_events";

export type RequestType = "approval" | "question";

/** api.md "Live events": payload of request.created / request.decided. */
export interface NexusEvent {
  type: "request.created" | "request.decided";
  request_type: RequestType;
  id: string;
  agent_id: string;
}

/** NOTIFY inside the caller's transaction: delivered only if it commits. */
export async function notifyEvent(tx: Pick<Executor, "execute">, event: NexusEvent) {
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}

/**
 * Heartbeat on the channel (not a NexusEvent: subscribers ignore it). The process that
 * sent it expects to hear it back; silence means its LISTEN connection is gone.
 */
export async function pingEvents(db: Pick<Executor, "execute">, nonce: string) {
  await db.execute(
    sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ type: "hub.ping", nonce })})`,
  );
}
