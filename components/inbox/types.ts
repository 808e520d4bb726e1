import { pagePath, type RequestKind } from "@/lib/domain/kinds";

/** An inbox row as the server hands it to the client (times as epoch ms). */
export interface InboxRow {
  type: RequestKind;
  id: string;
  agentId: string;
  title: string;
  description: string | null;
  timestampMs: number;
  expiresAtMs: number | null;
  /** pending past its escalation threshold */
  escalated?: boolean;
  /** a rule routed it to the viewer (listed first) */
  routedToYou?: boolean;
  /** a quorum: approvals needed and received (absent: one approval decides) */
  approvals?: { required: number; received: number } | null;
}

/** "1 of 2 approvals" (null: not a quorum). */
export function approvalsLabel(a: InboxRow["approvals"]): string | null {
  return a ? `${a.received} of ${a.required} approvals` : null;
}

export function reviewHref(row: Pick<InboxRow, "type" | "id">): string {
  return pagePath(row.type, row.id);
}
