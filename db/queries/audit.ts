import "server-only";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import {
  checkLinks,
  entryHash,
  GENESIS_HASH,
  type AuditEntryContent,
  type ChainBreak,
  type ChainLink,
} from "@/lib/audit/chain";
import type { AuditEvent } from "@/lib/audit/events";
import { getDb, rows, type Executor } from "../client";
import { auditChain, auditLog } from "../schema";

/*
 * The audit log (docs/security.md, "Audit log"). Entries are inserted in the transaction
 * of what they record (recordAudit): concurrent transactions take no shared lock for it.
 * The sealer (sealAudit) then gives committed entries their place in the chain and their
 * hashes, in an insert-only table (audit_chain), one sealer at a time (an advisory lock),
 * shortly after they commit. `audit verify` seals what is left and walks the chain.
 */

/** Arbitrary constant: the transaction advisory lock one sealer holds at a time. */
const SEAL_LOCK_ID = 7_340_101;
/**
 * A routine seal looks for unsealed entries among the last WINDOW ids below the highest
 * sealed one (ids are taken at insert, commits come in any order); a full seal (verify,
 * export) looks at every entry.
 */
const WINDOW = 10_000;

/** Record one audit entry in the caller's transaction (or alone, given the database). */
export async function recordAudit(tx: Pick<Executor, "insert">, e: AuditEvent): Promise<void> {
  await tx.insert(auditLog).values({
    at: sql`(now() AT TIME ZONE 'UTC')`,
    event: e.event,
    actor: e.actor,
    subjectType: e.subjectType ?? null,
    subjectId: e.subjectId ?? null,
    details: e.details ?? null,
  });
}

/** Record one audit entry in its own statement. */
export async function audit(e: AuditEvent): Promise<void> {
  await recordAudit(await getDb(), e);
}

/** audit_log's columns as the chain reads them (`at` as canonical text, microseconds). */
const contentColumns = sql`l.id::bigint AS id, to_char(l.at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, l.event, l.actor, l.subject_type, l.subject_id, l.details`;

interface ContentRow {
  id: string | number;
  at: string;
  event: string;
  actor: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown> | string | null;
}

const contentOf = (r: ContentRow): AuditEntryContent => ({
  id: Number(r.id),
  at: r.at,
  event: r.event,
  actor: r.actor,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  details: typeof r.details === "string" ? JSON.parse(r.details) : r.details,
});

/**
 * Seal committed entries that have no place in the chain yet, in id order, up to `limit`
 * per call; returns how many. Another process sealing at the same time: returns 0.
 */
export async function sealAudit(opts: { full?: boolean; limit?: number } = {}): Promise<number> {
  const db = await getDb();
  const limit = opts.limit ?? 1000;
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ ok: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK_ID}) AS ok`,
    );
    if (!lock?.ok) return 0;
    const [last] = await rows<{ seq: string | number; hash: string; entry_id: string | number }>(
      tx,
      sql`SELECT seq, hash, entry_id FROM audit_chain ORDER BY seq DESC LIMIT 1`,
    );
    const floor = opts.full || !last ? 0 : Math.max(0, Number(last.entry_id) - WINDOW);
    const pending = await rows<ContentRow>(
      tx,
      sql`SELECT ${contentColumns} FROM audit_log l
          WHERE l.id > ${floor}
            AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = l.id)
          ORDER BY l.id LIMIT ${limit}`,
    );
    if (pending.length === 0) return 0;
    let seq = last ? Number(last.seq) : 0;
    let prev = last?.hash ?? GENESIS_HASH;
    const links = pending.map((r) => {
      seq += 1;
      const hash = entryHash(contentOf(r), seq, prev);
      const link = { seq, entryId: Number(r.id), prevHash: prev, hash };
      prev = hash;
      return link;
    });
    await tx.insert(auditChain).values(links);
    return links.length;
  });
}

/** Seal everything committed so far (verify and export start with it). */
export async function sealAll(): Promise<void> {
  while ((await sealAudit({ full: true, limit: 5000 })) > 0);
}

export interface VerifyResult {
  /** links checked before the first broken one (all of them when ok) */
  checked: number;
  broken: ChainBreak | null;
  /** entries not in the chain (committed after the seal, or inserted bypassing it) */
  unsealed: number;
}

type LinkRow = ContentRow & {
  seq: string | number;
  entry_id: string | number;
  prev_hash: string;
  hash: string;
  present: boolean;
};

async function* chainPages(pageSize = 2000): AsyncGenerator<ChainLink[]> {
  const db = await getDb();
  let after = 0;
  for (;;) {
    const page = await rows<LinkRow>(
      db,
      sql`SELECT c.seq, c.entry_id, c.prev_hash, c.hash, (l.id IS NOT NULL) AS present, ${contentColumns}
          FROM audit_chain c LEFT JOIN audit_log l ON l.id = c.entry_id
          WHERE c.seq > ${after} ORDER BY c.seq LIMIT ${pageSize}`,
    );
    if (page.length === 0) return;
    yield page.map((r) => ({
      seq: Number(r.seq),
      entryId: Number(r.entry_id),
      prevHash: r.prev_hash,
      hash: r.hash,
      entry: r.present ? contentOf(r) : null,
    }));
    after = Number(page[page.length - 1]!.seq);
  }
}

/** Seal what is committed, then walk the chain from its first link; stop at the first break. */
export async function verifyAudit(): Promise<VerifyResult> {
  await sealAll();
  let before = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const links of chainPages()) {
    const broken = checkLinks(links, before);
    if (broken) {
      checked += links.findIndex((l) => l.seq === broken.seq);
      return { checked, broken, unsealed: 0 };
    }
    checked += links.length;
    const last = links[links.length - 1]!;
    before = { seq: last.seq, hash: last.hash };
  }
  const db = await getDb();
  const [u] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM audit_log l WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = l.id)`,
  );
  return { checked, broken: null, unsealed: Number(u?.n ?? 0) };
}

/** One line of `audit export`: the entry, its place in the chain and its hashes. */
export interface ExportedEntry {
  seq: number;
  id: number;
  at: string;
  event: string;
  actor: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

/** Every sealed entry in chain order (a deleted entry's line has only seq and hashes). */
export async function* exportAudit(): AsyncGenerator<ExportedEntry | Partial<ExportedEntry>> {
  await sealAll();
  for await (const links of chainPages()) {
    for (const l of links) {
      const e = l.entry;
      yield e
        ? {
            seq: l.seq,
            id: e.id,
            at: e.at,
            event: e.event,
            actor: e.actor,
            subject_type: e.subjectType,
            subject_id: e.subjectId,
            details: e.details,
            prev_hash: l.prevHash,
            hash: l.hash,
          }
        : { seq: l.seq, id: l.entryId, prev_hash: l.prevHash, hash: l.hash };
    }
  }
}

export interface AuditFilter {
  event?: string;
  actor?: string;
  /** the subject's id: a request id, a key name, a user's email */
  subjectId?: string;
  /** UTC, inclusive */
  from?: Date;
  /** UTC, exclusive */
  to?: Date;
  /** entries with a smaller id (the next page) */
  before?: number;
  limit: number;
}

export interface AuditListRow {
  id: number;
  at: Date;
  event: string;
  actor: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown> | null;
  seq: number | null;
}

/** Newest first, `limit` + 1 read to tell whether there is a next page. */
export async function listAudit(f: AuditFilter): Promise<{ rows: AuditListRow[]; more: boolean }> {
  const db = await getDb();
  const where: (SQL | undefined)[] = [
    f.event ? eq(auditLog.event, f.event) : undefined,
    f.actor ? eq(auditLog.actor, f.actor) : undefined,
    f.subjectId ? eq(auditLog.subjectId, f.subjectId) : undefined,
    f.from ? gte(auditLog.at, f.from) : undefined,
    f.to ? lt(auditLog.at, f.to) : undefined,
    f.before ? lt(auditLog.id, f.before) : undefined,
  ];
  const found = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      event: auditLog.event,
      actor: auditLog.actor,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      details: auditLog.details,
      seq: auditChain.seq,
    })
    .from(auditLog)
    .leftJoin(auditChain, eq(auditChain.entryId, auditLog.id))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit + 1);
  return { rows: found.slice(0, f.limit), more: found.length > f.limit };
}

/** The distinct actors (the filter's choices), most recent first, at most 200. */
export async function auditActors(): Promise<string[]> {
  const db = await getDb();
  const found = await rows<{ actor: string }>(
    db,
    sql`SELECT actor FROM audit_log WHERE actor IS NOT NULL GROUP BY actor ORDER BY max(id) DESC LIMIT 200`,
  );
  return found.map((r) => r.actor);
}
