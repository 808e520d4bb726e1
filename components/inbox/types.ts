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
}

export function reviewHref(row: Pick<InboxRow, "type" | "id">): string {
  return pagePath(row.type, row.id);
}
