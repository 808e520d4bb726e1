/*
 * How an export reads a row as text, shared by the history download
 * (db/queries/history.ts) and the CLI table export (db/ops/export.ts): every column as
 * PostgreSQL's own text output, as `COPY … TO STDOUT` writes it (timestamps
 * `2026-01-01 12:00:00.123456`, jsonb as its text, numbers as PostgreSQL prints them,
 * NULL kept as NULL), except booleans, which COPY writes t/f but `::text` would spell
 * true/false. A JSON row is row_to_json of the whole row. Plain SQL text, so either a
 * drizzle `sql.raw` or a driver's query string can use it.
 */

export interface ExportColumn {
  name: string;
  boolean: boolean;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One column of the row aliased `t`, as COPY's text for it (NULL stays NULL). */
export function copyTextOf(column: ExportColumn): string {
  const ref = `t.${quoteIdent(column.name)}`;
  return column.boolean ? `CASE WHEN ${ref} THEN 't' WHEN NOT ${ref} THEN 'f' END` : `${ref}::text`;
}

/** The row aliased `t` as one JSON object's text, as json_agg(row_to_json(t)) holds it. */
export const ROW_JSON_TEXT = "row_to_json(t)::text";
