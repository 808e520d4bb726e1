/*
 * History page state, all of it in the URL: parse searchParams into a validated filter
 * (bad values are dropped and reported, never thrown), and write a filter back into a
 * query string for links. Pure: shared by the page, the export route and tests.
 */

import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";

export const HISTORY_TYPES: readonly RequestKind[] = REQUEST_KINDS;
export type HistoryType = RequestKind;
/** superseded: an approval a revision replaced while it was pending */
export const OUTCOMES = ["approved", "rejected", "answered", "expired", "superseded"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Keyset position: the sort time (PostgreSQL text, microseconds kept), type and id. */
export interface Cursor {
  dir: "older" | "newer";
  at: string;
  type: HistoryType;
  id: string;
}

export interface HistoryFilter {
  type?: HistoryType;
  outcome?: Outcome;
  agent?: string;
  /** the rule that matched the request (decided it, or shaped it): rules' names */
  rule?: string;
  /** inclusive UTC dates, YYYY-MM-DD, on the decision (or expiry) time */
  from?: string;
  to?: string;
  q?: string;
}

export interface HistoryQuery extends HistoryFilter {
  cursor?: Cursor;
  /** rows per page (PAGE_SIZES); default 25 */
  per?: number;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

const TYPE_LETTER: Record<HistoryType, string> = { approval: "a", question: "q", tool_call: "t" };
const TYPE_OF_LETTER = Object.fromEntries(
  Object.entries(TYPE_LETTER).map(([type, letter]) => [letter, type as HistoryType]),
);

export function encodeCursor(c: Cursor): string {
  const raw = `${c.dir === "older" ? "o" : "n"}|${c.at}|${TYPE_LETTER[c.type]}|${c.id}`;
  return base64url(raw);
}

export function decodeCursor(value: string): Cursor | null {
  let raw: string;
  try {
    raw = unbase64url(value);
  } catch {
    return null;
  }
  const [d, at, t, id, ...rest] = raw.split("|");
  if (rest.length || !at || !id) return null;
  const type = t === undefined ? undefined : TYPE_OF_LETTER[t];
  if ((d !== "o" && d !== "n") || !type) return null;
  if (!PG_TIMESTAMP.test(at) || !UUID.test(id)) return null;
  return {
    dir: d === "o" ? "older" : "newer",
    at,
    type,
    id: id.toLowerCase(),
  };
}

function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function unbase64url(s: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("not base64url");
  const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(
    Uint8Array.from(bin, (ch) => ch.charCodeAt(0)),
  );
}

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(params: Params, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  const one = Array.isArray(v) ? v[0] : v;
  const trimmed = one?.trim();
  return trimmed ? trimmed : undefined;
}

export const MAX_SEARCH_LENGTH = 200;
export const MAX_AGENT_LENGTH = 200;

/** Parse the URL; `problems` lists what was ignored and why (shown on the page). */
export function parseHistoryParams(params: Params): {
  query: HistoryQuery;
  problems: string[];
} {
  const problems: string[] = [];
  const query: HistoryQuery = {};
  const type = get(params, "type");
  if (type) {
    if ((HISTORY_TYPES as readonly string[]).includes(type)) query.type = type as HistoryType;
    else problems.push(`Unknown type "${type}" ignored (use ${HISTORY_TYPES.join(", ")}).`);
  }
  const outcome = get(params, "outcome");
  if (outcome) {
    if ((OUTCOMES as readonly string[]).includes(outcome)) query.outcome = outcome as Outcome;
    else problems.push(`Unknown outcome "${outcome}" ignored.`);
  }
  if ((query.type === "approval" || query.type === "tool_call") && query.outcome === "answered") {
    const what = query.type === "approval" ? "Approvals" : "Tool calls";
    problems.push(`${what} are approved or rejected, not answered: outcome ignored.`);
    delete query.outcome;
  }
  if (query.type === "question" && (query.outcome === "approved" || query.outcome === "rejected")) {
    problems.push(`Questions are answered, not ${query.outcome}: outcome ignored.`);
    delete query.outcome;
  }
  const agent = get(params, "agent");
  if (agent) {
    if (agent.length <= MAX_AGENT_LENGTH) query.agent = agent;
    else problems.push("Agent name too long: ignored.");
  }
  const rule = get(params, "rule");
  if (rule) {
    if (rule.length <= 80) query.rule = rule;
    else problems.push("Rule name too long: ignored.");
  }
  for (const key of ["from", "to"] as const) {
    const v = get(params, key);
    if (!v) continue;
    if (isRealDate(v)) query[key] = v;
    else problems.push(`"${key}" must be a date like 2026-01-31: ignored.`);
  }
  if (query.from && query.to && query.from > query.to) {
    problems.push(`"from" (${query.from}) is after "to" (${query.to}): dates ignored.`);
    delete query.from;
    delete query.to;
  }
  const q = get(params, "q");
  if (q) {
    if (q.length <= MAX_SEARCH_LENGTH) query.q = q;
    else problems.push(`Search text over ${MAX_SEARCH_LENGTH} characters: ignored.`);
  }
  const per = get(params, "per");
  if (per) {
    const n = Number(per);
    if (/^\d+$/.test(per) && n >= 1 && n <= 100) query.per = n;
    else problems.push(`"per" must be a whole number from 1 to 100: ignored.`);
  }
  const cursor = get(params, "cursor");
  if (cursor) {
    const c = decodeCursor(cursor);
    if (c) query.cursor = c;
    else problems.push("That page link is broken: showing the newest entries.");
  }
  return { query, problems };
}

/** The query string for a filter (and optional cursor); stable key order. */
export function historySearch(filter: HistoryFilter & { per?: number }, cursor?: Cursor): string {
  const p = new URLSearchParams();
  if (filter.type) p.set("type", filter.type);
  if (filter.outcome) p.set("outcome", filter.outcome);
  if (filter.agent) p.set("agent", filter.agent);
  if (filter.rule) p.set("rule", filter.rule);
  if (filter.from) p.set("from", filter.from);
  if (filter.to) p.set("to", filter.to);
  if (filter.q) p.set("q", filter.q);
  if (filter.per && filter.per !== DEFAULT_PAGE_SIZE) p.set("per", String(filter.per));
  if (cursor) p.set("cursor", encodeCursor(cursor));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** `%`, `_` and `\` taken literally inside an ILIKE pattern (default escape `\`). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The types a filter can match (outcome narrows it: answered → questions only). */
export function typesFor(filter: HistoryFilter): HistoryType[] {
  if (filter.type) return [filter.type];
  if (filter.outcome === "answered") return ["question"];
  if (filter.outcome === "approved" || filter.outcome === "rejected")
    return ["approval", "tool_call"];
  return [...HISTORY_TYPES];
}
