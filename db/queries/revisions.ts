import "server-only";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, type Executor } from "../client";
import { notifyEvent } from "../events";
import { approvalRequests } from "../schema";
import { nowUtc } from "./requests";

/*
 * Revisions of approvals: an agent resubmits a change with `supersedes: <earlier id>`.
 * The new row records what it supersedes and its revision number; the earlier one, if
 * it is still pending when the revision is created, gets `superseded_by` (its status
 * becomes superseded, a long poll on it returns). Both happen in the create transaction,
 * with the earlier row locked (FOR UPDATE), so a decision racing the revision either
 * lands first (the earlier one stays decided) or finds it superseded: exactly one.
 */

export type RevisionRefusal = "unknown" | "other_agent" | "already_revised";

/** Why a revision was not created: the service turns it into a 400/409 naming the ids. */
export class RevisionRefused extends Error {
  override name = "RevisionRefused";
  readonly code = "NEXUS_REVISION_REFUSED";
  constructor(
    readonly reason: RevisionRefusal,
    readonly earlier: { id: string; agentId?: string; successor?: string },
  ) {
    super(`revision refused: ${reason}`);
  }
}

/** By code, not instanceof: Next.js bundles this module more than once. */
export const isRevisionRefused = (err: unknown): err is RevisionRefused =>
  !!err && typeof err === "object" && (err as { code?: unknown }).code === "NEXUS_REVISION_REFUSED";

type Tx = Pick<Executor, "select" | "update" | "execute">;

/**
 * Before a revision is inserted: lock the earlier approval and check it may be revised
 * (it exists, same agent, no other revision yet). Returns the new row's columns.
 */
export async function prepareRevision(
  tx: Tx,
  input: { id: string; agentId: string; supersedes?: string | null },
): Promise<{ supersedes?: string; revision?: number }> {
  if (!input.supersedes) return {};
  const t = approvalRequests;
  const [earlier] = await tx
    .select({ id: t.id, agentId: t.agentId, revision: t.revision })
    .from(t)
    .where(eq(t.id, input.supersedes))
    .for("update");
  if (!earlier) throw new RevisionRefused("unknown", { id: input.supersedes });
  if (earlier.agentId !== input.agentId) {
    throw new RevisionRefused("other_agent", { id: earlier.id, agentId: earlier.agentId });
  }
  const [successor] = await tx.select({ id: t.id }).from(t).where(eq(t.supersedes, earlier.id));
  // the same id again is a retry of this very revision: the create finds it identical
  if (successor && successor.id !== input.id) {
    throw new RevisionRefused("already_revised", { id: earlier.id, successor: successor.id });
  }
  return { supersedes: earlier.id, revision: (earlier.revision ?? 1) + 1 };
}

/**
 * After a revision was inserted: the earlier approval, if still pending (undecided, not
 * expired, not superseded), becomes superseded; waiters on it are woken. Returns whether
 * it did.
 */
export async function supersedeEarlier(
  tx: Tx,
  row: { id: string; supersedes: string | null },
): Promise<boolean> {
  if (!row.supersedes) return false;
  const t = approvalRequests;
  const [done] = await tx
    .update(t)
    .set({ supersededBy: row.id })
    .where(
      and(
        eq(t.id, row.supersedes),
        isNull(t.approved),
        isNull(t.supersededBy),
        or(isNull(t.expiresAt), sql`${t.expiresAt} > ${nowUtc}`),
      ),
    )
    .returning({ id: t.id, agentId: t.agentId });
  if (!done) return false;
  // settled without a decision: the same wake-up as a decision (long polls, open pages)
  await notifyEvent(tx, {
    type: "request.decided",
    request_type: "approval",
    id: done.id,
    agent_id: done.agentId,
  });
  return true;
}

/** Longest chain followed (a guard, not a limit anyone should meet). */
export const MAX_CHAIN = 200;

/** The ids of `id`'s chain of revisions, first version first (empty: no such approval). */
export async function revisionChainIds(id: string): Promise<string[]> {
  const db = await getDb();
  const t = approvalRequests;
  // back to the first version, then forward through each one's revision
  const back: string[] = [];
  let cursor: string | null = id;
  while (cursor && back.length < MAX_CHAIN) {
    const [row]: { id: string; supersedes: string | null }[] = await db
      .select({ id: t.id, supersedes: t.supersedes })
      .from(t)
      .where(eq(t.id, cursor));
    if (!row) break;
    back.unshift(row.id);
    cursor = row.supersedes;
  }
  if (back.length === 0) return [];
  const chain = [...back];
  for (let last = id; chain.length < MAX_CHAIN;) {
    const [next] = await db
      .select({ id: t.id })
      .from(t)
      .where(eq(t.supersedes, last))
      .orderBy(asc(t.createdAt));
    if (!next) break;
    chain.push(next.id);
    last = next.id;
  }
  return chain;
}
