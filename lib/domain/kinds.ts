import type { ApprovalRow, QuestionRow, ToolCallRow } from "@/db/schema";
import { approvalStatus, questionStatus, toolCallStatus } from "./status";

/*
 * The kinds of request an agent can make, described once: paths, statuses, the columns
 * of a decision and the words pages and messages use. Everything generic (the service,
 * the API handlers, the review page shell, the decision form, the history) reads this
 * table. A new kind is one entry in each table of what cannot live here:
 *   lib/api/schemas.ts REQUEST_SCHEMAS       create/decide/list/output schemas
 *   db/queries/request-store.ts STORE        table, fields, decision columns, event
 *   db/queries/history.ts SPECS              how its history is read
 *   server/requests/service.ts INPUT         API input -> the store's fields
 *   server/api/serialize.ts JSON_OF          row -> API JSON
 *   server/requests/forms.ts FORM            the form's fields -> the decision body
 *   components/review/decision-form.tsx      its text field and buttons
 *   app/_review/kind-views.tsx               heading and body of its review page (and
 *                                            whether its diff is decided hunk by hunk)
 * A kind with a diff decided hunk by hunk (approval, tool_call) also has the columns
 * hunk_decisions / applied_diff / edited (STORE's set + metrics, INPUT's decision through
 * server/requests/hunks.ts, JSON_OF through hunksJson).
 * plus its route files (three-line re-exports of server/api/requests.ts, and the page).
 */

/** superseded: a revision replaced it while it was pending (nobody decided it) */
export const APPROVAL_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "expired",
  "superseded",
] as const;
export const QUESTION_STATUSES = ["pending", "answered", "expired"] as const;
/** A tool call is decided like an approval: approve (the tool runs) or reject. No revisions. */
export const TOOL_CALL_STATUSES = ["pending", "approved", "rejected", "expired"] as const;
/** What an agent is told when nobody decides a tool call in time: deny, or ask its user. */
export const ON_TIMEOUT = ["deny", "ask"] as const;
export type OnTimeout = (typeof ON_TIMEOUT)[number];

/** What a decided request records, whatever its kind. */
export interface DecisionView {
  by: string | null;
  at: Date | null;
  /** the comment of an approval, the answer to a question */
  text: string | null;
}

interface KindDef<Row, Status extends string> {
  /**
   * `segment`: `/api/v1/<segment>` and the page `/<segment>/<id>`; `decision`: the
   * decision endpoint `POST /api/v1/<segment>/<id>/<decision>`
   */
  paths: { segment: string; decision: string };
  /** every status, and a row's status at `now` */
  status: { all: readonly Status[]; of(row: Row, now: Date): Status };
  /** who decided (by), when (at), what they wrote (text) */
  columns: { by: keyof Row; at: keyof Row; text: keyof Row };
  /**
   * quorum: decided by approve/reject, so a request may need several reviewers' approvals
   * (required_approvals > 1; db/queries/request-store.ts decideRequest). A kind without it
   * is decided by its first answer.
   */
  quorum: boolean;
  /** noun: in messages; label: breadcrumb and headings; verb: what a reviewer does; text: the label of what they write */
  words: { noun: string; label: string; verb: string; text: string };
}

const defineKinds = <T extends { [K in keyof T]: KindDef<KindRows[K & keyof KindRows], string> }>(
  kinds: T,
) => kinds;

/** The row type of each kind (the database's). */
export interface KindRows {
  approval: ApprovalRow;
  question: QuestionRow;
  tool_call: ToolCallRow;
}

export const KINDS = defineKinds({
  approval: {
    paths: { segment: "approvals", decision: "decision" },
    status: { all: APPROVAL_STATUSES, of: approvalStatus },
    columns: { by: "decidedBy", at: "approvedAt", text: "comment" },
    quorum: true,
    words: { noun: "approval", label: "Approval", verb: "decide", text: "Comment" },
  },
  question: {
    paths: { segment: "questions", decision: "response" },
    status: { all: QUESTION_STATUSES, of: questionStatus },
    columns: { by: "respondedBy", at: "responseAt", text: "response" },
    quorum: false,
    words: { noun: "question", label: "Question", verb: "answer", text: "Answer" },
  },
  tool_call: {
    paths: { segment: "tool-calls", decision: "decision" },
    status: { all: TOOL_CALL_STATUSES, of: toolCallStatus },
    columns: { by: "decidedBy", at: "approvedAt", text: "comment" },
    quorum: true,
    words: { noun: "tool call", label: "Tool call", verb: "decide", text: "Comment" },
  },
});

export type RequestKind = keyof typeof KINDS;
export const REQUEST_KINDS = Object.keys(KINDS) as RequestKind[];

export type KindStatus<K extends RequestKind> = (typeof KINDS)[K]["status"]["all"][number];

/** A kind's row as the store reads it: with the submitting key's name (null: none). */
export type RequestRow<K extends RequestKind> = KindRows[K] & {
  submittedKeyName: string | null;
  /** a quorum's approvals so far, oldest first (read with one request; absent in lists) */
  approvers?: Approver[] | null;
};

/** One reviewer's approval of a request that needs several. */
export interface Approver {
  reviewer: string;
  /** ISO UTC */
  at: string;
}

/** Status of any kind's row (for generic code that holds a kind as a value). */
export function statusOf<K extends RequestKind>(kind: K, row: KindRows[K], now: Date): string {
  return (KINDS[kind].status.of as (r: KindRows[K], n: Date) => string)(row, now);
}

const column = <K extends RequestKind>(row: KindRows[K], key: PropertyKey) =>
  (row as unknown as Record<PropertyKey, unknown>)[key];

export function decisionOf<K extends RequestKind>(kind: K, row: KindRows[K]): DecisionView {
  const { by, at, text } = KINDS[kind].columns;
  return {
    by: column(row, by) as string | null,
    at: column(row, at) as Date | null,
    text: column(row, text) as string | null,
  };
}

/** The dashboard page of a request. */
export const pagePath = (kind: RequestKind, id: string) => `/${KINDS[kind].paths.segment}/${id}`;
