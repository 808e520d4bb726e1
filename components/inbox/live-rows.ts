import type { LiveEvent } from "@/components/live/live-updates";
import type { InboxRow } from "./types";

/** How far apart the database's and the web server's clocks may be. */
export const CLOCK_SLACK_MS = 2000;

export const rowKey = (r: Pick<InboxRow, "type" | "id">) => `${r.type}:${r.id}`;

/** A row shown from a live event, with when the database stored it (its clock). */
export interface AddedRow {
  row: InboxRow;
  createdAtMs: number;
}

/**
 * Whether a row shown from a live event is still to be shown next to a server render's
 * rows: yes until a render includes it, or leaves it out having started after the
 * request was stored (it was decided, or does not belong in this view). A render that
 * began before cannot know of it, so it does not drop it. Measured against the
 * database's `created_at`, never the agent's `timestamp` (which may be any date).
 */
export function stillAwaited(
  added: AddedRow,
  serverKeys: ReadonlySet<string>,
  renderedAtMs: number,
): boolean {
  return !serverKeys.has(rowKey(added.row)) && renderedAtMs < added.createdAtMs + CLOCK_SLACK_MS;
}

/** The fields of docs/api.md's list items that an inbox row shows. */
interface ListedRequest {
  id: string;
  status: string;
  agent_id: string;
  timestamp: string;
  expires_at: string | null;
  created_at?: string | null;
  file_path?: string;
  description?: string | null;
  question?: string;
}

export function rowFromListed(type: InboxRow["type"], item: ListedRequest): InboxRow {
  return {
    type,
    id: item.id,
    agentId: item.agent_id,
    title: (type === "approval" ? item.file_path : item.question) ?? "",
    description: type === "approval" ? (item.description ?? null) : null,
    timestampMs: Date.parse(item.timestamp),
    expiresAtMs: item.expires_at ? Date.parse(item.expires_at) : null,
  };
}

/** When the database stored it; null when unknown (the row is then not shown early). */
function storedAt(createdAt: string | null | undefined): number | null {
  const ms = createdAt ? Date.parse(createdAt) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The row a `request.created` event describes (its texts may be shortened: the
 * confirming refresh brings them whole), or null when the event lacks the fields (a
 * server older than this page: the ordinary refresh then shows it).
 */
export function rowFromEvent(ev: LiveEvent): AddedRow | null {
  if (ev.type !== "request.created" || ev.timestamp === undefined) return null;
  const title = ev.request_type === "approval" ? ev.file_path : ev.question;
  const createdAtMs = storedAt(ev.created_at);
  if (title === undefined || createdAtMs === null) return null;
  const row = rowFromListed(ev.request_type, {
    id: ev.id,
    status: "pending",
    agent_id: ev.agent_id,
    timestamp: ev.timestamp ?? new Date(createdAtMs).toISOString(), // null only for rows made by hand in SQL
    expires_at: ev.expires_at ?? null,
    file_path: ev.file_path,
    description: ev.description,
    question: ev.question,
  });
  return { row, createdAtMs };
}
