import type { ApprovalRow, QuestionRow } from "@/db/schema";
import { approvalStatus, questionStatus } from "./status";

/*
 * The kinds of request an agent can make, described once: everything that differs
 * between an approval and a question that is not SQL (db/queries/request-store.ts) or a
 * zod schema (lib/api/schemas.ts REQUEST_SCHEMAS) lives in this table. A new kind is a new
 * entry here, there and in the store's table spec; the API routes, the service, the
 * review page and the decision forms are generic over it.
 */

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "expired"] as const;
export const QUESTION_STATUSES = ["pending", "answered", "expired"] as const;

/** What a decided request records, whatever its kind. */
export interface DecisionView {
  by: string | null;
  at: Date | null;
  /** the comment of an approval, the answer to a question */
  text: string | null;
}

interface KindDef<Row, Status extends string> {
  type: string;
  /** `/api/v1/<segment>` and the page at `/<segment>/<id>` */
  segment: string;
  /** `POST /api/v1/<segment>/<id>/<decisionSegment>` */
  decisionSegment: string;
  statuses: readonly Status[];
  status(row: Row, now: Date): Status;
  /** who decided, when, and what they wrote (null while pending) */
  decision(row: Row): DecisionView;
  /** the page heading and the history title */
  title(row: Row): string;
  words: {
    /** "approval request" / "question": in messages ("This question expired …") */
    noun: string;
    /** "Approval" / "Question": breadcrumb, not-found page */
    label: string;
    /** what a reviewer does: "decide" / "answer" */
    verb: string;
    /** the label of the text a reviewer leaves */
    text: string;
  };
}

const defineKinds = <T extends Record<string, KindDef<never, string>>>(kinds: T) => kinds;

export const KINDS = defineKinds({
  approval: {
    type: "approval",
    segment: "approvals",
    decisionSegment: "decision",
    statuses: APPROVAL_STATUSES,
    status: (row: Pick<ApprovalRow, "approved" | "expiresAt">, now: Date) =>
      approvalStatus(row, now),
    decision: (row: ApprovalRow): DecisionView => ({
      by: row.decidedBy,
      at: row.approvedAt,
      text: row.comment,
    }),
    title: (row: Pick<ApprovalRow, "filePath">) => row.filePath,
    words: { noun: "approval", label: "Approval", verb: "decide", text: "Comment" },
  },
  question: {
    type: "question",
    segment: "questions",
    decisionSegment: "response",
    statuses: QUESTION_STATUSES,
    status: (row: Pick<QuestionRow, "response" | "expiresAt">, now: Date) =>
      questionStatus(row, now),
    decision: (row: QuestionRow): DecisionView => ({
      by: row.respondedBy,
      at: row.responseAt,
      text: row.response,
    }),
    title: (row: Pick<QuestionRow, "question">) => row.question,
    words: { noun: "question", label: "Question", verb: "answer", text: "Answer" },
  },
});

export type RequestKind = keyof typeof KINDS;
export const REQUEST_KINDS = Object.keys(KINDS) as RequestKind[];

/** The row type of each kind (the database's, plus the submitting key's name). */
export interface KindRows {
  approval: ApprovalRow;
  question: QuestionRow;
}
export type KindStatus<K extends RequestKind> = (typeof KINDS)[K]["statuses"][number];

/** A kind's row as the store reads it: with the submitting key's name (null: none). */
export type RequestRow<K extends RequestKind> = KindRows[K] & { submittedKeyName: string | null };

/** Status of any kind's row (for generic code that holds a kind as a value). */
export function statusOf<K extends RequestKind>(kind: K, row: KindRows[K], now: Date): string {
  return (KINDS[kind].status as (r: KindRows[K], n: Date) => string)(row, now);
}

export function decisionOf<K extends RequestKind>(kind: K, row: KindRows[K]): DecisionView {
  return (KINDS[kind].decision as (r: KindRows[K]) => DecisionView)(row);
}

export function titleOf<K extends RequestKind>(kind: K, row: KindRows[K]): string {
  return (KINDS[kind].title as (r: KindRows[K]) => string)(row);
}

/** The dashboard page of a request. */
export const pagePath = (kind: RequestKind, id: string) => `/${KINDS[kind].segment}/${id}`;
