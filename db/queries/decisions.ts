import "server-only";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { getDb } from "../client";
import { notifyEvent } from "../events";
import { nowUtc } from "./requests";
import {
  approvalRequests,
  hitlMetrics,
  questionRequests,
  type ApprovalRow,
  type QuestionRow,
} from "../schema";

/*
 * Recording a decision: the one function behind the dashboard's server actions and the
 * API's decision endpoints. One transaction: set the decision only if the request is
 * still pending and not expired, add exactly one hitl_metrics row, NOTIFY waiters.
 */

const stillOpen = (
  expiresAt: typeof approvalRequests.expiresAt | typeof questionRequests.expiresAt,
) => or(isNull(expiresAt), sql`${expiresAt} > ${nowUtc}`);

/** decision time − request time in ms; never negative, clamped to INTEGER (24.8 days). */
const responseTimeMs = (decidedAt: string, requestedAt: string) =>
  sql<number>`LEAST(2147483647, GREATEST(0, ROUND(EXTRACT(EPOCH FROM (${sql.raw(decidedAt)} - ${sql.raw(requestedAt)})) * 1000)))::int`;

export type DecisionFailure = "not_found" | "already_decided" | "expired";
export type DecisionResult<Row> =
  { ok: true; row: Row } | { ok: false; reason: DecisionFailure; row: Row | null };

export interface DecideApprovalInput {
  id: string;
  approved: boolean;
  comment?: string | null;
  /** reviewer email, or `key:<name>` for programmatic decisions */
  decidedBy: string;
}

export async function decideApproval(
  input: DecideApprovalInput,
): Promise<DecisionResult<ApprovalRow>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(approvalRequests)
      .set({
        approved: input.approved,
        approvedAt: sql`${nowUtc}`,
        comment: input.comment?.trim() ? input.comment.trim() : null,
        decidedBy: input.decidedBy,
      })
      .where(
        and(
          eq(approvalRequests.id, input.id),
          isNull(approvalRequests.approved),
          stillOpen(approvalRequests.expiresAt),
        ),
      )
      .returning();
    if (!row) {
      const [current] = await tx
        .select()
        .from(approvalRequests)
        .where(eq(approvalRequests.id, input.id));
      if (!current) return { ok: false, reason: "not_found", row: null } as const;
      return {
        ok: false,
        reason: current.approved === null ? "expired" : "already_decided",
        row: current,
      } as const;
    }
    await tx
      .insert(hitlMetrics)
      .values({
        requestType: "approval",
        requestId: row.id,
        responseTimeMs: sql`(SELECT ${responseTimeMs("approved_at", "COALESCE(timestamp, created_at)")} FROM approval_requests WHERE id = ${row.id})`,
        userId: input.decidedBy,
      })
      .onConflictDoNothing();
    await notifyEvent(tx, {
      type: "request.decided",
      request_type: "approval",
      id: row.id,
      agent_id: row.agentId,
    });
    return { ok: true, row } as const;
  });
}

export interface RespondInput {
  id: string;
  response: string;
  respondedBy: string;
}

export async function respondToQuestion(input: RespondInput): Promise<DecisionResult<QuestionRow>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(questionRequests)
      .set({ response: input.response, responseAt: sql`${nowUtc}`, respondedBy: input.respondedBy })
      .where(
        and(
          eq(questionRequests.id, input.id),
          isNull(questionRequests.response),
          stillOpen(questionRequests.expiresAt),
        ),
      )
      .returning();
    if (!row) {
      const [current] = await tx
        .select()
        .from(questionRequests)
        .where(eq(questionRequests.id, input.id));
      if (!current) return { ok: false, reason: "not_found", row: null } as const;
      return {
        ok: false,
        reason: current.response === null ? "expired" : "already_decided",
        row: current,
      } as const;
    }
    await tx
      .insert(hitlMetrics)
      .values({
        requestType: "question",
        requestId: row.id,
        responseTimeMs: sql`(SELECT ${responseTimeMs("response_at", "COALESCE(timestamp, created_at)")} FROM question_requests WHERE id = ${row.id})`,
        userId: input.respondedBy,
      })
      .onConflictDoNothing();
    await notifyEvent(tx, {
      type: "request.decided",
      request_type: "question",
      id: row.id,
      agent_id: row.agentId,
    });
    return { ok: true, row } as const;
  });
}

export async function getApproval(id: string): Promise<ApprovalRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(approvalRequests).where(eq(approvalRequests.id, id));
  return row ?? null;
}

export async function getQuestion(id: string): Promise<QuestionRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(questionRequests).where(eq(questionRequests.id, id));
  return row ?? null;
}
