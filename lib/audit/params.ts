import { AUDIT_EVENTS, type AuditEventType } from "./events";

/*
 * Settings → Audit's URL parameters: the filters (event, actor, subject, from, to), the
 * page (before = the id the next page starts below). Pure: the page and tests share it.
 */

export interface AuditQuery {
  event?: AuditEventType;
  actor?: string;
  /** a request id, key name, user email, webhook id … (audit_log.subject_id) */
  subject?: string;
  /** YYYY-MM-DD, UTC, inclusive */
  from?: string;
  /** YYYY-MM-DD, UTC, inclusive (the whole day) */
  to?: string;
  before?: number;
}

export const AUDIT_PAGE_SIZE = 50;
const MAX_TEXT = 254;
const DAY = /^\d{4}-\d\d-\d\d$/;

const one = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

const validDay = (v: string) => DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export function parseAuditParams(params: Record<string, string | string[] | undefined>): {
  query: AuditQuery;
  problems: string[];
} {
  const problems: string[] = [];
  const query: AuditQuery = {};
  const event = one(params.event);
  if (event) {
    if ((AUDIT_EVENTS as readonly string[]).includes(event)) query.event = event as AuditEventType;
    else problems.push(`Unknown event type "${event.slice(0, 60)}": showing every event.`);
  }
  for (const name of ["actor", "subject"] as const) {
    const v = one(params[name]);
    if (!v) continue;
    if (v.length > MAX_TEXT) problems.push(`The ${name} is longer than ${MAX_TEXT} characters.`);
    else query[name] = v;
  }
  for (const name of ["from", "to"] as const) {
    const v = one(params[name]);
    if (!v) continue;
    if (validDay(v)) query[name] = v;
    else
      problems.push(`"${v.slice(0, 40)}" is not a date (YYYY-MM-DD): the ${name} date is ignored.`);
  }
  if (query.from && query.to && query.from > query.to) {
    problems.push("The from date is after the to date: nothing can match.");
  }
  const before = one(params.before);
  if (before && /^\d{1,15}$/.test(before)) query.before = Number(before);
  return { query, problems };
}

/** The range as times: [from 00:00, the day after `to` 00:00), UTC. */
export function auditRange(q: AuditQuery): { from?: Date; to?: Date } {
  return {
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined,
  };
}

/** The query string of a filter (and page), for links. */
export function auditHref(q: AuditQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `/settings/audit?${s}` : "/settings/audit";
}
