/** Status of a request as docs/api.md names it, from its row (pure: `now` is passed in). */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired";
export type QuestionStatus = "pending" | "answered" | "expired";

export function approvalStatus(
  row: { approved: boolean | null; expiresAt: Date | null },
  now: Date,
): ApprovalStatus {
  if (row.approved === true) return "approved";
  if (row.approved === false) return "rejected";
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
