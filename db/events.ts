import "server-only";
import type { RequestKind } from "@/lib/domain/kinds";
import { sql } from "drizzle-orm";
import type { Executor } from "./client";

/** The one NOTIFY channel: every process LISTENs on it and fans out in memory. */
export const EVENTS_CHANNEL = "nexus_events";

/** A kind of request (lib/domain/kinds.ts). */
export type RequestType = RequestKind;

/**
 * docs/api.md "Live events": payload of request.created / request.decided. A created event
 * also carries what an inbox row shows (the list item's fields, texts shortened to
 * PREVIEW_CHARS), so an open dashboard can show it without reading it back.
 */
export interface NexusEvent {
  type: "request.created" | "request.decided";
  request_type: RequestType;
  id: string;
  agent_id: string;
  timestamp?: string | null;
  expires_at?: string | null;
  /** when the database stored it (its clock; `timestamp` is the agent's) */
  created_at?: string | null;
  file_path?: string;
  description?: string | null;
  question?: string;
}

/**
 * Longest text a created event repeats. A NOTIFY payload must stay under 8,000 bytes:
 * two texts of 300 characters and an agent_id of 200 (MAX_AGENT_ID) stay below that
 * even when every character is JSON-escaped to six bytes (tests/unit/events.test.ts).
 */
export const PREVIEW_CHARS = 300;

/**
 * `text` cut to PREVIEW_CHARS code points, with "…" when something was cut. Reads no
 * further than it keeps: a question may be megabytes long.
 */
export function preview(text: string): string {
  if (text.length <= PREVIEW_CHARS) return text; // UTF-16 units ≥ code points
  let head = "";
  let count = 0;
  for (const ch of text) {
    count++;
    if (count > PREVIEW_CHARS) return `${head}…`;
    if (count < PREVIEW_CHARS) head += ch;
  }
  return text; // PREVIEW_CHARS code points or fewer, some of them surrogate pairs
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface CreatedRow {
  id: string;
  agentId: string;
  timestamp: Date | null;
  expiresAt: Date | null;
  createdAt: Date | null;
}

/** The request.created event of a new approval or question. */
export function createdEvent(
  created:
    | { type: "approval"; row: CreatedRow & { filePath: string; description: string | null } }
    | { type: "question"; row: CreatedRow & { question: string } },
): NexusEvent {
  const { row } = created;
  const base: NexusEvent = {
    type: "request.created",
    request_type: created.type,
    id: row.id,
    agent_id: row.agentId,
    timestamp: iso(row.timestamp),
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
  };
  return created.type === "approval"
    ? {
        ...base,
        file_path: preview(created.row.filePath),
        description: created.row.description === null ? null : preview(created.row.description),
      }
    : { ...base, question: preview(created.row.question) };
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
