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
  options?: string[] | null;
  tool_name?: string;
  title?: string;
}

/** An inbox row's title and description, per kind (as db/queries/inbox.ts selects them). */
function texts(
  type: InboxRow["type"],
  item: Pick<
    ListedRequest,
    "file_path" | "description" | "question" | "options" | "tool_name" | "title"
  >,
) {
  switch (type) {
    case "approval":
      return { title: item.file_path, description: item.description ?? null };
    case "question":
      return { title: item.question, description: item.options?.join(" · ") ?? null };
    case "tool_call":
      return {
        title: item.title,
        description:
          item.tool_name === undefined
            ? null
            : item.description
              ? `${item.tool_name}: ${item.description}`
              : item.tool_name,
      };
  }
}

export function rowFromListed(type: InboxRow["type"], item: ListedRequest): InboxRow {
  const { title, description } = texts(type, item);
  return {
    type,
    id: item.id,
    agentId: item.agent_id,
    title: title ?? "",
    description,
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
  const createdAtMs = storedAt(ev.created_at);
  const fields = {
    file_path: ev.file_path,
    description: ev.description,
    question: ev.question,
    options: ev.options,
    tool_name: ev.tool_name,
    title: ev.title,
  };
  if (texts(ev.request_type, fields).title === undefined || createdAtMs === null) return null;
  const row = rowFromListed(ev.request_type, {
    id: ev.id,
    status: "pending",
    agent_id: ev.agent_id,
    timestamp: ev.timestamp ?? new Date(createdAtMs).toISOString(), // null only for rows made by hand in SQL
    expires_at: ev.expires_at ?? null,
    ...fields,
  });
  return { row, createdAtMs };
}
