/*
 * Row formatting for every export (the dashboard's history download and the CLI's table
 * export), with PostgreSQL's own conventions so a file matches what
 * `COPY <table> TO STDOUT WITH CSV HEADER` and `SELECT json_agg(row_to_json(t))` give,
 * except for one deliberate difference in CSV: a text cell a spreadsheet would run as a
 * formula is neutralised (see neutraliseFormula). JSON is exactly json_agg's.
 * Values normally arrive as PostgreSQL's text output (see db/queries/export-columns.ts:
 * booleans t/f, timestamps `2026-01-01 12:00:00.123456`, jsonb as its text).
 * Pure: no I/O.
 */

/* ---- CSV: src/backend/commands/copyto.c, CopyAttributeOutCSV ------------------------ */

export type CsvValue = string | number | boolean | Date | null | undefined;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * A Date as PostgreSQL prints a `timestamp` (without time zone) holding UTC: trailing
 * zeros of the fraction dropped, no fraction when it is zero.
 */
export function pgTimestamp(d: Date): string {
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${pad(ms, 3).replace(/0+$/, "")}` : base;
}

const NEEDS_QUOTES = /[",\r\n]/;

/* ---- CSV formula injection (OWASP "CSV Injection") -------------------------------- */

/** What a spreadsheet reads as the start of a formula (tab and CR too: some strip them). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-5`, `+1.5e3`) is data, not a formula: kept as it is. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * An agent writes the texts Nexus exports (a description, a question, a diff that starts
 * with `---`): opened in a spreadsheet, a cell starting with `=`, `+`, `-`, `@`, tab or
 * CR would run as a formula (`=HYPERLINK(…)`, DDE). OWASP's remedy: prefix such a cell
 * with a single quote (and quote the field, which csvField then does).
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * One CSV field: NULL written as nothing, an empty string as `""`, a field quoted (with
 * `"` doubled) when it holds a delimiter, a quote, CR or LF. A lone `\.` is quoted only
 * in a single-column file, where it would read as the end-of-data marker. Booleans are
 * t/f, numbers plain, Dates as pgTimestamp. A text that would run as a spreadsheet
 * formula is written `"'…"` (neutraliseFormula).
 */
export function csvField(value: CsvValue, singleColumn = false): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return pgTimestamp(value);
  const safe = neutraliseFormula(value);
  if (safe !== value) return `"${safe.replaceAll('"', '""')}"`;
  if (value === "" || NEEDS_QUOTES.test(value) || (singleColumn && value === "\\.")) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One CSV line, fields joined by `,` and ended by LF (as COPY writes it). */
export function csvRow(values: readonly CsvValue[]): string {
  const single = values.length === 1;
  return values.map((v) => csvField(v, single)).join(",") + "\n";
}

/* ---- JSON: json_agg(row_to_json(t)), written piece by piece ------------------------ */

/*
 * `[`, the rows' own row_to_json text joined by ", " (json_agg's separator), then `]`,
 * so the whole is byte for byte json_agg's text. json_agg of no rows is NULL; an export
 * of nothing is `[]` so the file is always valid JSON.
 */
export const JSON_ARRAY_OPEN = "[";
export const JSON_ARRAY_SEPARATOR = ", ";
export const JSON_ARRAY_CLOSE = "]";

/** One batch of rows (each one JSON value), after `written` rows already in the array. */
export function jsonArrayChunk(rowsJson: readonly string[], written: number): string {
  if (rowsJson.length === 0) return "";
  return (written === 0 ? "" : JSON_ARRAY_SEPARATOR) + rowsJson.join(JSON_ARRAY_SEPARATOR);
}

/* ---- Input ------------------------------------------------------------------------- */

/** Parse `--since`: an ISO date or date-time; null when it is not one. Returned in UTC. */
export function parseSince(input: string): Date | null {
  const s = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s))
    return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? `${s}T00:00:00Z`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(s)
      ? s.replace(" ", "T")
      : `${s.replace(" ", "T")}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
