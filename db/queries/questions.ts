import "server-only";
import { isDeepStrictEqual } from "node:util";
import { and, desc, eq, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { createdEvent, notifyEvent } from "../events";
import { questionRequests, type QuestionRow } from "../schema";
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
 * Questions for the agent API: idempotent create, list with keyset paging. Reading one
 * is getQuestion() and answering is respondToQuestion(), both in ./decisions.ts.
 */

export interface NewQuestion {
  id: string;
  question: string;
  context: Record<string, unknown> | null;
  agentId: string;
  timestamp: Date | null;
  expiresInS: number | null;
}

/** JSONB reorders keys: compare parsed values, key order ignored. */
function sameContent(row: QuestionRow, input: NewQuestion, expiresInS: number | null) {
  return (
    row.question === input.question &&
    isDeepStrictEqual(canonical(row.context ?? null), canonical(input.context)) &&
    row.agentId === input.agentId &&
    (input.timestamp === null || row.timestamp?.getTime() === input.timestamp.getTime()) &&
    expiresInS === input.expiresInS
  );
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** As createApproval(): one row however many identical POSTs race; NOTIFY in the tx. */
export async function createQuestion(input: NewQuestion): Promise<CreateOutcome<QuestionRow>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(questionRequests)
      .values({
        id: input.id,
        question: input.question,
        context: input.context,
        agentId: input.agentId,
        timestamp: input.timestamp ?? sql`${nowUtc}`,
        createdAt: sql`${nowUtc}`,
        expiresAt: expiresAtIn(input.expiresInS),
      })
      .onConflictDoNothing({ target: questionRequests.id })
      .returning();
    if (created) {
      await notifyEvent(tx, createdEvent({ type: "question", row: created }));
      return { kind: "created", row: created };
    }
    const [existing] = await tx
      .select({
        row: questionRequests,
        expiresInS: storedExpiresInS(questionRequests.expiresAt, questionRequests.createdAt),
      })
      .from(questionRequests)
      .where(eq(questionRequests.id, input.id));
    if (!existing) throw new Error(`question ${input.id} vanished during create`);
    const expiresInS = existing.expiresInS === null ? null : Number(existing.expiresInS);
    return {
      kind: sameContent(existing.row, input, expiresInS) ? "identical" : "different",
      row: existing.row,
    };
  });
}

export type QuestionStatusFilter = "pending" | "answered" | "expired";

function statusCondition(status: QuestionStatusFilter): SQL | undefined {
  const t = questionRequests;
  switch (status) {
    case "answered":
      return sql`${t.response} IS NOT NULL`;
    case "pending":
      return and(isNull(t.response), or(isNull(t.expiresAt), sql`${t.expiresAt} > ${nowUtc}`));
    case "expired":
      return and(isNull(t.response), lte(t.expiresAt, sql`${nowUtc}`));
  }
}

/** Newest first (created_at, then id). */
export async function listQuestions(
  query: PageQuery<QuestionStatusFilter>,
): Promise<Page<QuestionRow>> {
  const db = await getDb();
  const t = questionRequests;
  const created = sql`COALESCE(${t.createdAt}, '-infinity'::timestamp)`;
  const found = await db
    .select({ row: t, cursorTime: sql<string>`${created}::text` })
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
  const page = pageOf(
    found.map((f) => ({ ...f.row, cursorTime: f.cursorTime })),
    query.limit,
  );
  return page as Page<QuestionRow>;
}
