import "server-only";
import type { RequestKind } from "@/lib/domain/kinds";
import { sql, type SQL } from "drizzle-orm";
import { cache } from "react";
import { getDb, rows } from "../client";

/** A kind of request (lib/domain/kinds.ts). */
export type RequestType = RequestKind;

export interface PendingItem {
  type: RequestType;
  id: string;
  agentId: string;
  /** file path for an approval, question text for a question */
  title: string;
  /** an approval's description, a question's options joined with " · " */
  description: string | null;
  timestamp: Date;
  expiresAt: Date | null;
  /** how long it has waited, by the database clock */
  waitingMs: number;
  /** it passed its escalation threshold (a request.escalated event exists) */
  escalated: boolean;
  /** a rule routed it to the viewer (PendingFilter.viewer): listed first, marked */
  routedToViewer: boolean;
  /** a quorum: approvals needed and received (null: one approval decides) */
  approvals: { required: number; received: number } | null;
}

export const INBOX_ORDERS = ["oldest", "newest", "agent"] as const;
export type InboxOrder = (typeof INBOX_ORDERS)[number];

export interface PendingFilter {
  agentId?: string;
  type?: RequestType;
  /** oldest first (default), newest first, or by agent then oldest first */
  order?: InboxOrder;
  limit?: number;
  /** the viewer's email: requests a rule routed to them (route_to) come first */
  viewer?: string | null;
}

/** Pending (undecided, unexpired) requests of every kind together. */
export async function listPending(filter: PendingFilter = {}): Promise<PendingItem[]> {
  const db = await getDb();
  const agent = filter.agentId ?? null;
  const limit = Math.min(Math.max(filter.limit ?? 500, 1), 1000);
  const parts = [];
  const want = (type: RequestType) => !filter.type || filter.type === type;
  if (want("approval")) {
    parts.push(sql`SELECT 'approval' AS type, id, agent_id, file_path AS title, description, timestamp, expires_at, required_approvals, approval_count, routed_to
      FROM approval_requests
      WHERE approved IS NULL AND superseded_by IS NULL AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC'))
        AND (${agent}::text IS NULL OR agent_id = ${agent})`);
  }
  if (want("question")) {
    // a multiple-choice question's second line: its options
    parts.push(sql`SELECT 'question' AS type, id, agent_id, question AS title,
        (SELECT string_agg(o.label, ' · ' ORDER BY o.n) FROM jsonb_array_elements_text(options) WITH ORDINALITY AS o(label, n)) AS description,
        timestamp, expires_at, required_approvals, approval_count, routed_to
      FROM question_requests
      WHERE response IS NULL AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC'))
        AND (${agent}::text IS NULL OR agent_id = ${agent})`);
  }
  if (want("tool_call")) {
    parts.push(sql`SELECT 'tool_call' AS type, id, agent_id, title,
        CASE WHEN description IS NULL THEN tool_name ELSE tool_name || ': ' || description END AS description,
        timestamp, expires_at, required_approvals, approval_count, routed_to
      FROM tool_call_requests
      WHERE approved IS NULL AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC'))
        AND (${agent}::text IS NULL OR agent_id = ${agent})`);
  }
  const viewer = filter.viewer ?? null;
  const routed = sql`COALESCE(${viewer}::text IS NOT NULL AND routed_to @> jsonb_build_array(${viewer}::text), FALSE)`;
  const order =
    filter.order === "newest"
      ? sql`timestamp DESC, type, id`
      : filter.order === "agent"
        ? sql`agent_id, timestamp ASC, type, id`
        : sql`timestamp ASC, type, id`;
  const escalated = sql`EXISTS (SELECT 1 FROM outbox_events e WHERE e.request_type = p.type AND e.request_id = p.id AND e.type = 'request.escalated') AS escalated`;
  const query = sql`SELECT *, ${routed} AS routed_to_viewer, (extract(epoch FROM ((now() AT TIME ZONE 'UTC') - timestamp)) * 1000)::float8 AS waiting_ms, ${escalated} FROM (${sql.join(parts, sql` UNION ALL `)}) p ORDER BY routed_to_viewer DESC, ${order} LIMIT ${limit}`;
  const result = await rows<{
    type: RequestType;
    id: string;
    agent_id: string;
    title: string;
    description: string | null;
    timestamp: string | Date;
    expires_at: string | Date | null;
    waiting_ms: number;
    escalated: boolean;
    routed_to_viewer: boolean;
    required_approvals: number;
    approval_count: number;
  }>(db, query);
  return result.map((r) => ({
    type: r.type,
    id: r.id,
    agentId: r.agent_id,
    title: r.title,
    description: r.description,
    timestamp: toUtcDate(r.timestamp),
    expiresAt: r.expires_at === null ? null : toUtcDate(r.expires_at),
    waitingMs: Number(r.waiting_ms),
    escalated: r.escalated === true,
    routedToViewer: r.routed_to_viewer === true,
    approvals:
      Number(r.required_approvals) > 1
        ? { required: Number(r.required_approvals), received: Number(r.approval_count) }
        : null,
  }));
}

export interface PendingCounts {
  approval: number;
  question: number;
  tool_call: number;
  total: number;
}

/**
 * How many approvals and questions are pending now (navigation badge, tab title).
 * Memoised per server render: the nav, the page and its metadata ask once.
 */
export const countPending = cache(async function countPending(): Promise<PendingCounts> {
  const db = await getDb();
  const [r] = await rows<{ approval: number; question: number; tool_call: number }>(
    db,
    sql`SELECT
      (SELECT count(*) FROM approval_requests WHERE approved IS NULL AND superseded_by IS NULL
         AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC')))::int AS approval,
      (SELECT count(*) FROM question_requests WHERE response IS NULL
         AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC')))::int AS question,
      (SELECT count(*) FROM tool_call_requests WHERE approved IS NULL
         AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'UTC')))::int AS tool_call`,
  );
  const approval = Number(r?.approval ?? 0);
  const question = Number(r?.question ?? 0);
  const toolCall = Number(r?.tool_call ?? 0);
  return { approval, question, tool_call: toolCall, total: approval + question + toolCall };
});

/** The inbox in one read: items, counts and the database clock they were measured by. */
export async function inboxSnapshot(filter: PendingFilter = {}) {
  const db = await getDb();
  const [[clock], items, counts] = await Promise.all([
    rows<{ now: string | Date }>(db, sql`SELECT (now() AT TIME ZONE 'UTC') AS now`),
    listPending(filter),
    countPending(),
  ]);
  return { items, counts, now: toUtcDate(clock!.now) };
}

/**
 * Every agent that ever asked anything, for filter menus (alphabetical, at most 500).
 * A loose index scan on each table's agent_id index: one probe per distinct agent,
 * not a pass over every request.
 */
export const listKnownAgents = cache(async function listKnownAgents(): Promise<string[]> {
  const db = await getDb();
  const walk = (table: SQL) => sql`WITH RECURSIVE a(agent_id, n) AS (
      (SELECT agent_id, 1 FROM ${table} ORDER BY agent_id LIMIT 1)
      UNION ALL
      SELECT (SELECT agent_id FROM ${table} WHERE agent_id > a.agent_id ORDER BY agent_id LIMIT 1), n + 1
      FROM a WHERE a.agent_id IS NOT NULL AND n < 500)
    SELECT agent_id FROM a WHERE agent_id IS NOT NULL`;
  const result = await rows<{ agent_id: string }>(
    db,
    sql`SELECT agent_id FROM (${walk(sql`approval_requests`)}) x
        UNION SELECT agent_id FROM (${walk(sql`question_requests`)}) y
        UNION SELECT agent_id FROM (${walk(sql`tool_call_requests`)}) z
        ORDER BY agent_id LIMIT 500`,
  );
  return result.map((r) => r.agent_id);
});

/** TIMESTAMP (without time zone) values hold UTC wall-clock time; read them as UTC. */
export function toUtcDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
}
