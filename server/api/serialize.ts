import "server-only";
import { isValidCursor, type Cursor } from "@/db/queries/requests";
import type { ListedRow } from "@/db/queries/request-store";
import { approvalStatus, questionStatus, toolCallStatus } from "@/lib/domain/status";
import { pagePath, type RequestKind, type RequestRow } from "@/lib/domain/kinds";
import { publicUrl } from "@/lib/env";
import { ApiError } from "./errors";
import type { Approval, Question, ToolCall } from "@/lib/api/schemas";
import type { HunkRecord } from "@/lib/diff/review";

/* Database rows → docs/api.md shapes (snake_case, ISO UTC times, absolute `url`). */

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A quorum's approvals (only when the request needs several). */
function approvalsJson(row: {
  requiredApprovals: number;
  approvalCount: number;
  approvers?: { reviewer: string; at: string }[] | null;
}) {
  if (row.requiredApprovals <= 1) return {};
  return {
    approvals: {
      required: row.requiredApprovals,
      received: row.approvalCount,
      ...(row.approvers !== undefined ? { reviewers: row.approvers ?? [] } : {}),
    },
  };
}

/** `key:<name>`, as decided_by names a key (null: no key recorded). */
export const submittedBy = (row: { submittedKeyName: string | null }) =>
  row.submittedKeyName === null ? null : `key:${row.submittedKeyName}`;

/** What a decision on hunks adds to a row's JSON (approvals and tool calls alike). */
function hunksJson(
  row: {
    approved: boolean | null;
    hunkDecisions: HunkRecord[] | null;
    edited: boolean | null;
    appliedDiff?: string | null;
    diff?: string | null;
  },
  withDiff: boolean,
) {
  const hunks = row.hunkDecisions ?? null;
  return {
    hunks,
    partial: row.approved === true && !!hunks?.some((h) => !h.accepted),
    edited: row.edited === true,
    ...(withDiff && row.diff !== undefined
      ? { applied_diff: row.approved === true ? (row.appliedDiff ?? row.diff ?? null) : null }
      : {}),
  };
}

export function approvalJson(
  row: ListedRow<"approval"> & { diff?: string; appliedDiff?: string | null },
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
    comments: row.inlineComments ?? null,
    decided_by: row.decidedBy,
    revision: row.revision ?? 1,
    supersedes: row.supersedes ?? null,
    superseded_by: row.supersededBy ?? null,
    ...approvalsJson(row),
    ...hunksJson(row, withDiff),
    submitted_by: submittedBy(row),
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
    url: `${publicUrl()}${pagePath("approval", row.id)}`,
  };
}

export function questionJson(row: RequestRow<"question">, { now = new Date() } = {}): Question {
  return {
    id: row.id,
    status: questionStatus(row, now),
    question: row.question,
    context: (row.context ?? null) as Question["context"],
    agent_id: row.agentId,
    timestamp: iso(row.timestamp),
    options: row.options ?? null,
    multi_select: row.multiSelect ?? false,
    allow_text: row.allowText ?? true,
    response: row.response,
    selected: row.selected ?? null,
    response_at: iso(row.responseAt),
    responded_by: row.respondedBy,
    submitted_by: submittedBy(row),
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
    url: `${publicUrl()}${pagePath("question", row.id)}`,
  };
}

export function toolCallJson(
  row: ListedRow<"tool_call"> & {
    diff?: string | null;
    toolInput?: unknown;
    appliedDiff?: string | null;
  },
  { withDiff = true, now = new Date() } = {},
): ToolCall {
  return {
    id: row.id,
    status: toolCallStatus(row, now),
    approved: row.approved,
    tool_name: row.toolName,
    ...(withDiff && row.toolInput !== undefined
      ? { tool_input: row.toolInput as ToolCall["tool_input"] }
      : {}),
    title: row.title,
    file_path: row.filePath,
    ...(withDiff && row.diff !== undefined ? { diff: row.diff } : {}),
    diff_exact: row.diffExact === true,
    description: row.description,
    session_id: row.sessionId,
    cwd: row.cwd,
    hook_event: row.hookEvent,
    tool_use_id: row.toolUseId,
    on_timeout: row.onTimeout === "ask" ? "ask" : "deny",
    agent_id: row.agentId,
    timestamp: iso(row.timestamp),
    approved_at: iso(row.approvedAt),
    comment: row.comment,
    comments: row.inlineComments ?? null,
    decided_by: row.decidedBy,
    updated_input: (row.updatedInput ?? null) as ToolCall["updated_input"],
    permission_suggestions: (row.permissionSuggestions ??
      null) as ToolCall["permission_suggestions"],
    allow_session: row.allowSession ?? null,
    ...approvalsJson(row),
    ...hunksJson(row, withDiff),
    submitted_by: submittedBy(row),
    expires_at: iso(row.expiresAt),
    created_at: iso(row.createdAt),
    url: `${publicUrl()}${pagePath("tool_call", row.id)}`,
  };
}

type AnyRequestJson = Approval | Question | ToolCall;

/** Each kind's row → its API shape (`withDiff`: approvals leave the diff out of lists). */
const JSON_OF: {
  [K in RequestKind]: (
    row: ListedRow<K>,
    opts: { now?: Date; withDiff?: boolean },
  ) => AnyRequestJson;
} = {
  approval: (row, opts) => approvalJson(row, opts),
  question: (row, opts) => questionJson(row, opts),
  tool_call: (row, opts) => toolCallJson(row, opts),
};

export function requestJson<K extends RequestKind>(
  kind: K,
  row: ListedRow<K>,
  opts: { now?: Date; withDiff?: boolean } = {},
): AnyRequestJson {
  return (JSON_OF[kind] as (r: ListedRow<K>, o: typeof opts) => AnyRequestJson)(row, opts);
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
