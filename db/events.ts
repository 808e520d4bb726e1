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
  /** request.approval: one more approval of a request that needs several, still pending */
  type: "request.created" | "request.approval" | "request.decided";
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
  /** a question's options, shortened (previewLabels) */
  options?: string[] | null;
  /** a tool call's tool and one-line title */
  tool_name?: string;
  title?: string;
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
export function preview(text: string, max = PREVIEW_CHARS): string {
  if (text.length <= max) return text; // UTF-16 units ≥ code points
  let head = "";
  let count = 0;
  for (const ch of text) {
    count++;
    if (count > max) return `${head}…`;
    if (count < max) head += ch;
  }
  return text; // max code points or fewer, some of them surrogate pairs
}

/**
 * A question's option labels within PREVIEW_CHARS code points in all (20 labels of 200
 * would not fit a NOTIFY): the labels that fit whole, then the next one cut with "…".
 */
export function previewLabels(labels: readonly string[] | null): string[] | null {
  if (!labels) return null;
  const kept: string[] = [];
  let left = PREVIEW_CHARS;
  for (const label of labels) {
    if (left <= 0) break;
    const cut = preview(label, left);
    kept.push(cut);
    left -= Array.from(cut).length;
  }
  return kept;
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
    | { type: "question"; row: CreatedRow & { question: string; options: string[] | null } }
    | {
        type: "tool_call";
        row: CreatedRow & { toolName: string; title: string; description: string | null };
      },
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
  switch (created.type) {
    case "approval":
      return {
        ...base,
        file_path: preview(created.row.filePath),
        description: created.row.description === null ? null : preview(created.row.description),
      };
    case "question":
      return {
        ...base,
        question: preview(created.row.question),
        options: previewLabels(created.row.options),
      };
    case "tool_call":
      return {
        ...base,
        tool_name: preview(created.row.toolName),
        title: preview(created.row.title),
        description: created.row.description === null ? null : preview(created.row.description),
      };
  }
}

/** NOTIFY inside the caller's transaction: delivered only if it commits. */
export async function notifyEvent(tx: Pick<Executor, "execute">, event: NexusEvent) {
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}

/** What a process may hold in memory and must forget when another changes it. */
export type CacheTopic = "api_keys" | "rules";

/**
 * Tell every process (this one included) to forget what it cached of `topic`; inside
 * the caller's transaction, so it is sent only if the change commits. Not a NexusEvent:
 * the hub handles it itself (server/events/hub.ts).
 */
export async function notifyInvalidate(tx: Pick<Executor, "execute">, topic: CacheTopic) {
  await tx.execute(
    sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ type: "cache.invalidate", topic })})`,
  );
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
