import "server-only";
import { and, desc, eq, getTableColumns, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { createdEvent, notifyEvent } from "../events";
import { approvalRequests, type ApprovalRow } from "../schema";
import {
  afterCursor,
  expiresAtIn,
  nowUtc,
  storedExpiresInS,
  pageOf,
  type CreateOutcome,
  type Page,
  type PageQuery,
} from "./requests";

/*
 * Approvals for the agent API: idempotent create, list with keyset paging. Reading one
 * is getApproval() and deciding is decideApproval(), both in ./decisions.ts.
 */

export interface NewApproval {
  id: string;
  filePath: string;
  diff: string;
  description: string | null;
  agentId: string;
  /** when the agent made the request; null = now */
  timestamp: Date | null;
  expiresInS: number | null;
}

/** The fields an identical retry must repeat (timestamp only when the agent gave one). */
function sameContent(row: ApprovalRow, input: NewApproval, expiresInS: number | null) {
  return (
    row.filePath === input.filePath &&
    row.diff === input.diff &&
    (row.description ?? null) === input.description &&
    row.agentId === input.agentId &&
    (input.timestamp === null || row.timestamp?.getTime() === input.timestamp.getTime()) &&
    expiresInS === input.expiresInS
  );
}

/**
 * INSERT … ON CONFLICT (id) DO NOTHING: a racing identical POST waits for the first
 * transaction and then finds the row, so only one is ever created. NOTIFY
 * request.created in the same transaction.
 */
export async function createApproval(input: NewApproval): Promise<CreateOutcome<ApprovalRow>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(approvalRequests)
      .values({
        id: input.id,
        filePath: input.filePath,
        diff: input.diff,
        description: input.description,
        agentId: input.agentId,
        timestamp: input.timestamp ?? sql`${nowUtc}`,
        createdAt: sql`${nowUtc}`,
        expiresAt: expiresAtIn(input.expiresInS),
      })
      .onConflictDoNothing({ target: approvalRequests.id })
      .returning();
    if (created) {
      await notifyEvent(tx, createdEvent({ type: "approval", row: created }));
      return { kind: "created", row: created };
    }
    const [existing] = await tx
      .select({
        row: approvalRequests,
        expiresInS: storedExpiresInS(approvalRequests.expiresAt, approvalRequests.createdAt),
      })
      .from(approvalRequests)
      .where(eq(approvalRequests.id, input.id));
    if (!existing) throw new Error(`approval ${input.id} vanished during create`);
    const expiresInS = existing.expiresInS === null ? null : Number(existing.expiresInS);
    return {
      kind: sameContent(existing.row, input, expiresInS) ? "identical" : "different",
      row: existing.row,
    };
  });
}

export type ApprovalStatusFilter = "pending" | "approved" | "rejected" | "expired";

function statusCondition(status: ApprovalStatusFilter): SQL | undefined {
  const t = approvalRequests;
  switch (status) {
    case "approved":
      return eq(t.approved, true);
    case "rejected":
      return eq(t.approved, false);
    case "pending":
      return and(isNull(t.approved), or(isNull(t.expiresAt), sql`${t.expiresAt} > ${nowUtc}`));
    case "expired":
      return and(isNull(t.approved), lte(t.expiresAt, sql`${nowUtc}`));
  }
}

/** Newest first (created_at, then id); `diff` is left out of lists. */
export async function listApprovals(
  query: PageQuery<ApprovalStatusFilter>,
): Promise<Page<Omit<ApprovalRow, "diff">>> {
  const db = await getDb();
  const t = approvalRequests;
  const created = sql`COALESCE(${t.createdAt}, '-infinity'::timestamp)`;
  const { diff: _diff, ...columns } = getTableColumns(t);
  void _diff;
  const found = await db
    .select({ ...columns, cursorTime: sql<string>`${created}::text` })
    .from(t)
    .where(
      and(
        query.status ? statusCondition(query.status) : undefined,
        query.agentId ? eq(t.agentId, query.agentId) : undefined,
        query.cursor ? afterCursor(created, t.id, query.cursor) : undefined,
      ),
    )
    .orderBy(desc(created), desc(t.id))
    .limit(query.limit + 1);
  return pageOf(found, query.limit);
}
