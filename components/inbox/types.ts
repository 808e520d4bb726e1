/** An inbox row as the server hands it to the client (times as epoch ms). */
export interface InboxRow {
  type: "approval" | "question";
  id: string;
  agentId: string;
  title: string;
  description: string | null;
  timestampMs: number;
  expiresAtMs: number | null;
  /** pending past its escalation threshold */
  escalated?: boolean;
}

export function reviewHref(row: Pick<InboxRow, "type" | "id">): string {
  return `/${row.type === "approval" ? "approvals" : "questions"}/${row.id}`;
}
