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
import { approvalRequests, questionRequests, toolCallRequests } from "../schema";
import { ROW_JSON_TEXT, copyTextOf, type ExportColumn } from "./export-columns";
import { toUtcDate } from "./inbox";
import { nowUtc } from "./requests";

/*
 * History: decided and expired requests, newest first by decision time (an expired
 * request by its expires_at). Keyset pagination on (sort_at, type, id); the same
 * WHERE clause drives the page, and the CSV/JSON export of one type.
 */

/*
 * Each table's history is the union of three parts, each ordered by an indexable time
 * so a page or an export batch reads index ranges instead of sorting the table:
 * decided with a decision time (approved_at / response_at index), decided without one
 * (only rows written by hand; reached through the same index's NULLs, sorted by the
 * request time), and expired (undecided, expires_at passed; reached through the
 * pending partial index).
 */
interface Part {
  sortAt: SQL;
  where: SQL;
  outcome: SQL;
}

interface TableSpec {
  table: PgTable;
  name: SQL;
  title: SQL;
  description: SQL;
  decidedBy: SQL;
  detail: SQL;
  /** the chosen options as JSON text (a multiple-choice question), else NULL */
  chosen: SQL;
  /** approved with some hunks rejected (boolean) */
  partial: SQL;
  /** the reviewer edited hunks before approving (boolean) */
  edited: SQL;
  search: (pattern: string) => SQL;
  parts: (outcome: Outcome | undefined) => Part[];
}

const REQUEST_TIME = sql`COALESCE(t.timestamp, t.created_at, 'epoch'::timestamp)`;

/**
 * Undecided (`decided` IS NULL, and not settled otherwise: `unsettled`) and past
 * expires_at: reached through the pending index.
 */
const expiredPart = (decided: SQL, unsettled: SQL = sql`TRUE`): Part => ({
  sortAt: sql`t.expires_at`,
  where: sql`${decided} IS NULL AND ${unsettled} AND t.expires_at <= ${nowUtc}`,
  outcome: sql`'expired'`,
});

/** An approval a revision replaced while pending: at the time the revision came. */
const supersededPart: Part = {
  sortAt: sql`(SELECT s.created_at FROM approval_requests s WHERE s.id = t.superseded_by)`,
  where: sql`t.approved IS NULL AND t.superseded_by IS NOT NULL`,
  outcome: sql`'superseded'`,
};

/** Approved or rejected (approved, approved_at), expired, and superseded if it has revisions. */
function approveRejectParts(outcome: Outcome | undefined, revisions: boolean): Part[] {
  const parts: Part[] = [];
  const decided =
    outcome === "approved"
      ? sql`t.approved IS TRUE`
      : outcome === "rejected"
        ? sql`t.approved IS FALSE`
        : outcome === undefined
          ? sql`t.approved IS NOT NULL`
          : null;
  const outcomeSql = sql`CASE WHEN t.approved THEN 'approved' ELSE 'rejected' END`;
  if (decided) {
    parts.push(
      {
        sortAt: sql`t.approved_at`,
        where: sql`t.approved_at IS NOT NULL AND ${decided}`,
        outcome: outcomeSql,
      },
      {
        sortAt: REQUEST_TIME,
        where: sql`t.approved_at IS NULL AND ${decided}`,
        outcome: outcomeSql,
      },
    );
  }
  if (outcome === undefined || outcome === "expired") {
    parts.push(expiredPart(sql`t.approved`, revisions ? sql`t.superseded_by IS NULL` : sql`TRUE`));
  }
  if (revisions && (outcome === undefined || outcome === "superseded")) {
    parts.push(supersededPart);
  }
  return parts;
}

/** The name of the API key that submitted row `t` (null: none recorded). */
const SUBMITTED_BY = sql`(SELECT k.name FROM api_keys k WHERE k.id = t.submitted_key_id)`;

/** Approved while some hunk of its diff was rejected ("approved in part"). */
const PARTIAL = sql`(t.approved IS TRUE AND COALESCE(jsonb_path_exists(t.hunk_decisions, '$[*] ? (@.accepted == false)'), false))`;

const SPECS: Record<HistoryType, TableSpec> = {
  approval: {
    table: approvalRequests,
    name: sql`approval_requests`,
    title: sql`t.file_path`,
    description: sql`t.description`,
    decidedBy: sql`t.decided_by`,
    detail: sql`t.comment`,
    chosen: sql`NULL::text`,
    partial: PARTIAL,
    edited: sql`COALESCE(t.edited, false)`,
    search: (p) => sql`(t.file_path ILIKE ${p} OR t.description ILIKE ${p})`,
    parts: (outcome) => approveRejectParts(outcome, true),
  },
  question: {
    table: questionRequests,
    name: sql`question_requests`,
    title: sql`t.question`,
    description: sql`NULL::text`,
    decidedBy: sql`t.responded_by`,
    detail: sql`t.response`,
    chosen: sql`t.selected::text`,
    partial: sql`false`,
    edited: sql`false`,
    search: (p) => sql`t.question ILIKE ${p}`,
    parts(outcome) {
      const parts: Part[] = [];
      if (outcome === undefined || outcome === "answered") {
        parts.push(
          {
            sortAt: sql`t.response_at`,
            where: sql`t.response_at IS NOT NULL AND t.response IS NOT NULL`,
            outcome: sql`'answered'`,
          },
          {
            sortAt: REQUEST_TIME,
            where: sql`t.response_at IS NULL AND t.response IS NOT NULL`,
            outcome: sql`'answered'`,
          },
        );
      }
      if (outcome === undefined || outcome === "expired") parts.push(expiredPart(sql`t.response`));
      return parts;
    },
  },
  tool_call: {
    table: toolCallRequests,
    name: sql`tool_call_requests`,
    title: sql`t.title`,
    description: sql`CASE WHEN t.description IS NULL THEN t.tool_name ELSE t.tool_name || ': ' || t.description END`,
    decidedBy: sql`t.decided_by`,
    detail: sql`t.comment`,
    chosen: sql`NULL::text`,
    partial: PARTIAL,
    edited: sql`COALESCE(t.edited, false)`,
    search: (p) => sql`(t.title ILIKE ${p} OR t.tool_name ILIKE ${p} OR t.description ILIKE ${p})`,
    // decided like an approval, in columns of the same names (no revisions: never superseded)
    parts: (outcome) => approveRejectParts(outcome, false),
  },
};

/** WHERE for one part of one table: the part, the filters, an optional keyset bound. */
function whereFor(type: HistoryType, part: Part, f: HistoryFilter, cursor?: Cursor): SQL {
  const parts: SQL[] = [part.where];
  if (f.agent) parts.push(sql`t.agent_id = ${f.agent}`);
  if (f.rule) parts.push(sql`t.rule_name = ${f.rule}`);
  if (f.from) parts.push(sql`${part.sortAt} >= ${f.from}::date`);
  if (f.to) parts.push(sql`${part.sortAt} < (${f.to}::date + 1)`);
  if (f.q) parts.push(SPECS[type].search(likeContains(f.q)));
  if (cursor) {
    const key = sql`(${part.sortAt}, ${type}::text, t.id)`;
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
  /** the options chosen in answer to a multiple-choice question (null: none) */
  chosen: string[] | null;
  /** approved with some hunks of its diff rejected */
  partial: boolean;
  /** the reviewer edited hunks before approving */
  edited: boolean;
  /** name of the API key that submitted it (null: not recorded) */
  submittedBy: string | null;
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
  const branches = typesFor(query).flatMap((type) => {
    const s = SPECS[type];
    return s.parts(query.outcome).map(
      (part) => sql`(SELECT ${type}::text AS type, t.id, t.agent_id, ${s.title} AS title,
        ${s.description} AS description, ${part.outcome} AS outcome, t.timestamp,
        ${part.sortAt} AS sort_at, ${part.sortAt}::text AS sort_at_text,
        ${s.decidedBy} AS decided_by, ${s.detail} AS detail, ${s.chosen} AS chosen,
        ${s.partial} AS partial, ${s.edited} AS edited,
        ${SUBMITTED_BY} AS submitted_by
      FROM ${s.name} t WHERE ${whereFor(type, part, query, query.cursor)}
      ORDER BY ${part.sortAt} ${order}, t.id ${order} LIMIT ${limit + 1})`,
    );
  });
  if (branches.length === 0) return { items: [], newer: null, older: null };
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
    chosen: string | null;
    partial: boolean;
    edited: boolean;
    submitted_by: string | null;
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
      chosen: r.chosen === null ? null : (JSON.parse(r.chosen) as string[]),
      partial: r.partial === true,
      edited: r.edited === true,
      submittedBy: r.submitted_by,
      responseTimeMs:
        r.outcome === "expired" || r.outcome === "superseded"
          ? null
          : Math.max(0, decidedAt.getTime() - timestamp.getTime()),
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

/**
 * The table's columns in table order (what `COPY table TO STDOUT` writes), then
 * `submitted_by`: the name of the API key that submitted the request.
 */
export function exportColumns(type: HistoryType): ExportColumn[] {
  return [
    ...Object.values(getTableColumns(SPECS[type].table)).map((c) => ({
      name: c.name,
      boolean: c.columnType === "PgBoolean",
    })),
    { name: "submitted_by", boolean: false },
  ];
}

/** Rows per export batch: starts small, doubles while batches stay under ~4 MB of text. */
export const EXPORT_BATCH = { first: 100, min: 20, max: 2000, targetBytes: 4 * 1024 * 1024 };

/**
 * The filtered rows of one table, newest first, in batches (keyset, so memory stays
 * flat however many rows match; the batch size adapts to the rows' size, since one
 * diff may be megabytes). `batch` fixes the size (tests). Each CSV row is the columns as
 * PostgreSQL's own text output (booleans t/f, NULL as null); each JSON row is
 * row_to_json(t); both end with submitted_by (the submitting key's name). Batches are separate statements: rows decided while an export runs
 * may or may not be included, none twice.
 */
export async function* exportHistory(
  type: HistoryType,
  filter: HistoryFilter,
  format: "csv" | "json",
  fixedBatch?: number,
): AsyncGenerator<(string | null)[][] | string[]> {
  const s = SPECS[type];
  const parts = s.parts(filter.outcome);
  if (parts.length === 0) return;
  const cols = exportColumns(type).map((c) => sql.raw(copyTextOf(c)));
  const payload =
    // json_build_array: exact text values and real NULLs through both drivers (an ARRAY
    // literal is parsed ambiguously: postgres.js reads an unquoted NULL as "NULL").
    format === "csv"
      ? sql`json_build_array(${sql.join(cols, sql`, `)})::text`
      : sql.raw(ROW_JSON_TEXT);
  let cursor: Cursor | undefined;
  let batch = fixedBatch ?? EXPORT_BATCH.first;
  for (;;) {
    const keys = parts.map(
      (part) => sql`(SELECT t.id, ${part.sortAt} AS sort_at FROM ${s.name} t
        WHERE ${whereFor(type, part, filter, cursor)}
        ORDER BY ${part.sortAt} DESC, t.id DESC LIMIT ${batch})`,
    );
    const db = await getDb();
    const result = await rows<{ v: string; sort_at_text: string; id: string }>(
      db,
      sql`SELECT ${payload} AS v, k.sort_at::text AS sort_at_text, k.id
          FROM (SELECT * FROM (${sql.join(keys, sql` UNION ALL `)}) u
                ORDER BY sort_at DESC, id DESC LIMIT ${batch}) k
          JOIN (SELECT t.*, ${SUBMITTED_BY} AS submitted_by FROM ${s.name} t) t ON t.id = k.id
          ORDER BY k.sort_at DESC, k.id DESC`,
    );
    if (result.length === 0) return;
    yield format === "csv"
      ? result.map((r) => JSON.parse(r.v) as (string | null)[])
      : result.map((r) => r.v);
    if (result.length < batch) return;
    const last = result[result.length - 1]!;
    cursor = { dir: "older", at: last.sort_at_text, type, id: last.id };
    if (fixedBatch === undefined) {
      const bytes = result.reduce((n, r) => n + r.v.length, 0);
      const { min, max, targetBytes } = EXPORT_BATCH;
      if (bytes < targetBytes / 2) batch = Math.min(max, batch * 2);
      else if (bytes > targetBytes * 2) batch = Math.max(min, Math.floor(batch / 2));
    }
  }
}
