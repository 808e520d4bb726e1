import "server-only";
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import {
  likeContains,
  typesFor,
  type Cursor,
  type HistoryFilter,
  type HistoryQuery,
  type HistoryType,
  type Outcome,
} from "@/lib/history/params";
import { getDb, rows } from "../client";
import { approvalRequests, questionRequests } from "../schema";
import { toUtcDate } from "./inbox";

/*
 * History: decided and expired requests, newest first by decision time (an expired
 * request by its expires_at). Keyset pagination on (sort_at, type, id); the same
 * WHERE clause drives the page, and the CSV/JSON export of one type.
 */

const NOW = sql`(now() AT TIME ZONE 'UTC')`;

interface TableSpec {
  table: PgTable;
  name: SQL;
  /** sort/decision time of a row of this table (t.*) */
  sortAt: SQL;
  title: SQL;
  description: SQL;
  decidedBy: SQL;
  detail: SQL;
  outcome: SQL;
  done: SQL;
  outcomes: Partial<Record<Outcome, SQL>>;
  search: (pattern: string) => SQL;
}

const SPECS: Record<HistoryType, TableSpec> = {
  approval: {
    table: approvalRequests,
    name: sql`approval_requests`,
    sortAt: sql`COALESCE(t.approved_at, t.expires_at, t.timestamp)`,
    title: sql`t.file_path`,
    description: sql`t.description`,
    decidedBy: sql`t.decided_by`,
    detail: sql`t.comment`,
    outcome: sql`CASE WHEN t.approved THEN 'approved' WHEN NOT t.approved THEN 'rejected' ELSE 'expired' END`,
    done: sql`(t.approved IS NOT NULL OR t.expires_at <= ${NOW})`,
    outcomes: {
      approved: sql`t.approved IS TRUE`,
      rejected: sql`t.approved IS FALSE`,
      expired: sql`(t.approved IS NULL AND t.expires_at <= ${NOW})`,
    },
    search: (p) => sql`(t.file_path ILIKE ${p} OR t.description ILIKE ${p})`,
  },
  question: {
    table: questionRequests,
    name: sql`question_requests`,
    sortAt: sql`COALESCE(t.response_at, t.expires_at, t.timestamp)`,
    title: sql`t.question`,
    description: sql`NULL::text`,
    decidedBy: sql`t.responded_by`,
    detail: sql`t.response`,
    outcome: sql`CASE WHEN t.response IS NOT NULL THEN 'answered' ELSE 'expired' END`,
    done: sql`(t.response IS NOT NULL OR t.expires_at <= ${NOW})`,
    outcomes: {
      answered: sql`t.response IS NOT NULL`,
      expired: sql`(t.response IS NULL AND t.expires_at <= ${NOW})`,
    },
    search: (p) => sql`t.question ILIKE ${p}`,
  },
};

/** WHERE for one table: done, filters, and an optional keyset bound. */
function whereFor(type: HistoryType, f: HistoryFilter, cursor?: Cursor): SQL {
  const s = SPECS[type];
  const parts: SQL[] = [s.done];
  if (f.outcome) parts.push(s.outcomes[f.outcome] ?? sql`FALSE`);
  if (f.agent) parts.push(sql`t.agent_id = ${f.agent}`);
  if (f.from) parts.push(sql`${s.sortAt} >= ${f.from}::date`);
  if (f.to) parts.push(sql`${s.sortAt} < (${f.to}::date + 1)`);
  if (f.q) parts.push(s.search(likeContains(f.q)));
  if (cursor) {
    const key = sql`(${s.sortAt}, ${type}::text, t.id)`;
    const at = sql`(${cursor.at}::timestamp, ${cursor.type}::text, ${cursor.id}::uuid)`;
    parts.push(cursor.dir === "older" ? sql`${key} < ${at}` : sql`${key} > ${at}`);
  }
  return sql.join(parts, sql` AND `);
}

export interface HistoryItem {
  type: HistoryType;
  id: string;
  agentId: string;
  /** file path or question */
  title: string;
  description: string | null;
  outcome: Outcome;
  timestamp: Date;
  /** decision time, or expiry time for an expired request */
  decidedAt: Date;
  decidedBy: string | null;
  /** comment of an approval or answer to a question */
  detail: string | null;
  /** decision − request time (never negative); null when it expired */
  responseTimeMs: number | null;
  /** keyset position of this row */
  position: Omit<Cursor, "dir">;
}

export interface HistoryPage {
  items: HistoryItem[];
  newer: Cursor | null;
  older: Cursor | null;
}

export const HISTORY_PAGE_SIZE = 25;

export async function listHistory(
  query: HistoryQuery,
  pageSize = HISTORY_PAGE_SIZE,
): Promise<HistoryPage> {
  const db = await getDb();
  const limit = Math.min(Math.max(pageSize, 1), 200);
  const dir = query.cursor?.dir ?? "older";
  const order = dir === "older" ? sql`DESC` : sql`ASC`;
  const branches = typesFor(query).map((type) => {
    const s = SPECS[type];
    return sql`(SELECT ${type}::text AS type, t.id, t.agent_id, ${s.title} AS title,
        ${s.description} AS description, ${s.outcome} AS outcome, t.timestamp,
        ${s.sortAt} AS sort_at, ${s.sortAt}::text AS sort_at_text, ${s.decidedBy} AS decided_by,
        ${s.detail} AS detail
      FROM ${s.name} t WHERE ${whereFor(type, query, query.cursor)}
      ORDER BY ${s.sortAt} ${order}, t.id ${order} LIMIT ${limit + 1})`;
  });
  const result = await rows<{
    type: HistoryType;
    id: string;
    agent_id: string;
    title: string;
    description: string | null;
    outcome: Outcome;
    timestamp: string | Date | null;
    sort_at: string | Date;
    sort_at_text: string;
    decided_by: string | null;
    detail: string | null;
  }>(
    db,
    sql`SELECT * FROM (${sql.join(branches, sql` UNION ALL `)}) h
        ORDER BY sort_at ${order}, type ${order}, id ${order} LIMIT ${limit + 1}`,
  );
  const more = result.length > limit;
  const page = result.slice(0, limit);
  if (dir === "newer") page.reverse();
  const items = page.map((r): HistoryItem => {
    const decidedAt = toUtcDate(r.sort_at);
    const timestamp = r.timestamp === null ? decidedAt : toUtcDate(r.timestamp);
    return {
      type: r.type,
      id: r.id,
      agentId: r.agent_id,
      title: r.title,
      description: r.description,
      outcome: r.outcome,
      timestamp,
      decidedAt,
      decidedBy: r.decided_by,
      detail: r.detail,
      responseTimeMs:
        r.outcome === "expired" ? null : Math.max(0, decidedAt.getTime() - timestamp.getTime()),
      position: { at: r.sort_at_text, type: r.type, id: r.id },
    };
  });
  const first = items[0];
  const last = items[items.length - 1];
  const hasNewer = dir === "newer" ? more : !!query.cursor;
  const hasOlder = dir === "older" ? more : true;
  return {
    items,
    newer: hasNewer && first ? { dir: "newer", ...first.position } : null,
    older: hasOlder && last ? { dir: "older", ...last.position } : null,
  };
}

/* ---- Export ------------------------------------------------------------------------ */

/** The table's columns in table order (what `COPY table TO STDOUT` writes). */
export function exportColumns(type: HistoryType): { name: string; boolean: boolean }[] {
  return Object.values(getTableColumns(SPECS[type].table)).map((c) => ({
    name: c.name,
    boolean: c.columnType === "PgBoolean",
  }));
}

export const EXPORT_BATCH = 500;

/**
 * The filtered rows of one table, newest first, in batches of `batch` rows (keyset, so
 * memory stays flat however many rows match). Each CSV row is the columns as
 * PostgreSQL's own text output (booleans t/f, NULL as null); each JSON row is
 * row_to_json(t). Batches are separate statements: rows decided while an export runs
 * may or may not be included, none twice.
 */
export async function* exportHistory(
  type: HistoryType,
  filter: HistoryFilter,
  format: "csv" | "json",
  batch = EXPORT_BATCH,
): AsyncGenerator<(string | null)[][] | string[]> {
  const s = SPECS[type];
  const cols = exportColumns(type).map(({ name, boolean }) => {
    const ref = sql.raw(`t."${name.replaceAll('"', '""')}"`);
    return boolean
      ? sql`CASE WHEN ${ref} THEN 't' WHEN NOT ${ref} THEN 'f' END`
      : sql`${ref}::text`;
  });
  const payload =
    // json_build_array: exact text values and real NULLs through both drivers (an ARRAY
    // literal is parsed ambiguously: postgres.js reads an unquoted NULL as "NULL").
    format === "csv"
      ? sql`json_build_array(${sql.join(cols, sql`, `)})::text AS v`
      : sql`row_to_json(t)::text AS v`;
  let cursor: Cursor | undefined;
  for (;;) {
    const db = await getDb();
    const result = await rows<{ v: string; sort_at_text: string; id: string }>(
      db,
      sql`SELECT ${payload}, ${s.sortAt}::text AS sort_at_text, t.id
          FROM ${s.name} t WHERE ${whereFor(type, filter, cursor)}
          ORDER BY ${s.sortAt} DESC, t.id DESC LIMIT ${batch}`,
    );
    if (result.length === 0) return;
    yield format === "csv"
      ? result.map((r) => JSON.parse(r.v) as (string | null)[])
      : result.map((r) => r.v);
    if (result.length < batch) return;
    const last = result[result.length - 1]!;
    cursor = { dir: "older", at: last.sort_at_text, type, id: last.id };
  }
}
