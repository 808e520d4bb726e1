import "server-only";
import { isValidCursor, type Cursor } from "@/db/queries/requests";
import type { ApprovalRow, QuestionRow } from "@/db/schema";
import { approvalStatus, questionStatus } from "@/lib/domain/status";
import { publicUrl } from "@/lib/env";
import { ApiError } from "./errors";
import type { Approval, Question } from "@/lib/api/schemas";

/* Database rows → api.md shapes (snake_case, ISO UTC times, absolute `url`). */

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function approvalJson(
  row: Omit<ApprovalRow, "diff"> & { diff?: string },
  { withDiff = true, now = new Date() } = {},
): Approval {
  return {
    id: row.id,
    status: approvalStatus(row, now),
    approved: row.approved,
    file_path: row.filePath,
    ...(withDiff && row.diff !== undefined ? { diff: row.diff } : {}),
    description: row.description,
    agent_id: row.agentId,
    timestamp: iso(row.timestamp),
    approved_at: iso(row.approvedAt),
    comment: row.comment,
    decided_by: row.decidedBy,
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
    url: `${publicUrl()}/approvals/${row.id}`,
  };
}

export function questionJson(row: QuestionRow, { now = new Date() } = {}): Question {
  return {
    id: row.id,
    status: questionStatus(row, now),
    question: row.question,
    context: (row.context ?? null) as Question["context"],
    agent_id: row.agentId,
    timestamp: iso(row.timestamp),
    response: row.response,
    response_at: iso(row.responseAt),
    responded_by: row.respondedBy,
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
    url: `${publicUrl()}/questions/${row.id}`,
  };
}

/** Opaque to clients: base64url of the keyset position. */
export function encodeCursor(cursor: Cursor | null): string | null {
  return cursor
    ? Buffer.from(JSON.stringify([cursor.time, cursor.id])).toString("base64url")
    : null;
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (value === undefined || value === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const cursor = Array.isArray(parsed) ? { time: parsed[0], id: parsed[1] } : null;
  if (!isValidCursor(cursor)) {
    throw new ApiError("invalid_request", "The cursor is not valid.", [
      { path: "cursor", message: "Use the next_cursor value of a previous page unchanged" },
    ]);
  }
  return cursor;
}
