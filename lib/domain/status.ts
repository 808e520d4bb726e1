/** Status of a request as docs/api.md names it, from its row (pure: `now` is passed in). */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired" | "superseded";
export type ToolCallStatus = Exclude<ApprovalStatus, "superseded">;
export type QuestionStatus = "pending" | "answered" | "expired";

/** A revision that replaced a pending approval sets supersededBy: decided before, never after. */
export function approvalStatus(
  row: { approved: boolean | null; expiresAt: Date | null; supersededBy?: string | null },
  now: Date,
): ApprovalStatus {
  if (row.approved === true) return "approved";
  if (row.approved === false) return "rejected";
  if (row.supersededBy) return "superseded";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

export function questionStatus(
  row: { response: string | null; expiresAt: Date | null },
  now: Date,
): QuestionStatus {
  if (row.response !== null) return "answered";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

/** A tool call has no revisions: its status is an approval's without superseded. */
export const toolCallStatus = (
  row: { approved: boolean | null; expiresAt: Date | null },
  now: Date,
): ToolCallStatus => approvalStatus(row, now) as ToolCallStatus;
