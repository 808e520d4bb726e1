import { createHash } from "node:crypto";

/*
 * The audit log's hash chain (docs/security.md, "Audit log"), pure so that the sealer,
 * `audit verify` and the unit tests compute it the same way.
 *
 * Canonical JSON (RFC 8785, JCS, for the values an entry holds): no whitespace; object
 * keys sorted by their UTF-16 code units (what Array.prototype.sort does); strings as
 * JSON.stringify writes them; numbers in ECMAScript's shortest form (JSON.stringify);
 * true, false, null; arrays in order. An entry's canonical content is the object
 *   {"actor", "at", "details", "event", "id", "prev", "seq", "subject_id", "subject_type"}
 * with `at` as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds, as stored), `id` the
 * audit_log id, `seq` its place in the chain (1, 2, …), `prev` the previous entry's hash
 * (64 zeros for the first), absent values as null. Its hash is the lower-case hex
 * SHA-256 of the UTF-8 bytes of that text.
 */

export const GENESIS_HASH = "0".repeat(64);

/** An audit entry as the chain sees it (audit_log's columns, `at` as canonical text). */
export interface AuditEntryContent {
  id: number;
  at: string;
  event: string;
  actor: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown> | null;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The text an entry's hash is taken of. */
export function canonicalEntry(entry: AuditEntryContent, seq: number, prev: string): string {
  return canonicalJson({
    actor: entry.actor,
    at: entry.at,
    details: entry.details,
    event: entry.event,
    id: entry.id,
    prev,
    seq,
    subject_id: entry.subjectId,
    subject_type: entry.subjectType,
  });
}

export function entryHash(entry: AuditEntryContent, seq: number, prev: string): string {
  return createHash("sha256")
    .update(canonicalEntry(entry, seq, prev), "utf8")
    .digest("hex");
}

/** One link as stored in audit_chain, with its entry (null: the entry row is gone). */
export interface ChainLink {
  seq: number;
  entryId: number;
  prevHash: string;
  hash: string;
  entry: AuditEntryContent | null;
}

export type ChainBreak = { seq: number; entryId: number; reason: string };

/**
 * Check links in chain order, continuing from (`seq`, `hash`) of the link before them:
 * the first broken link, or null. A link breaks when its seq does not follow, its
 * prev_hash is not the previous hash, its entry is missing, or its hash is not the hash
 * of its entry's content.
 */
export function checkLinks(
  links: readonly ChainLink[],
  before: { seq: number; hash: string },
): ChainBreak | null {
  let { seq, hash } = before;
  for (const link of links) {
    const at = { seq: link.seq, entryId: link.entryId };
    if (link.seq !== seq + 1)
      return { ...at, reason: `chain position ${seq + 1} is missing (next is ${link.seq})` };
    if (link.prevHash !== hash)
      return { ...at, reason: "its previous hash is not the hash of the entry before it" };
    if (!link.entry) return { ...at, reason: "the entry was deleted" };
    if (link.entry.id !== link.entryId) return { ...at, reason: "the entry id changed" };
    if (entryHash(link.entry, link.seq, link.prevHash) !== link.hash)
      return { ...at, reason: "its content does not match its hash (changed after sealing)" };
    seq = link.seq;
    hash = link.hash;
  }
  return null;
}
