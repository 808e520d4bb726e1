import type { LiveEvent } from "@/components/live/live-updates";
import type { InboxRow } from "./types";

/** The fields of api.md's list items that an inbox row shows. */
interface ListedRequest {
  id: string;
  status: string;
  agent_id: string;
  timestamp: string;
  expires_at: string | null;
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

/**
 * A request just announced by `request.created`, read from the API's newest pending
 * items (lists carry no diff) with the reviewer's session, so the row can be shown
 * before the page's refresh lands. Null when it is not there (decided already, or
 * further down the list): the refresh shows whatever is true.
 */
export async function fetchCreatedRow(ev: LiveEvent): Promise<InboxRow | null> {
  const path = ev.request_type === "approval" ? "approvals" : "questions";
  const res = await fetch(`/api/v1/${path}?status=pending&limit=20`, {
    headers: { accept: "application/json" },
    cache: "no-store",
  });
  if (!res.ok) return null;
  const { items } = (await res.json()) as { items: ListedRequest[] };
  const item = items.find((i) => i.id === ev.id && i.status === "pending");
  return item ? rowFromListed(ev.request_type, item) : null;
}
