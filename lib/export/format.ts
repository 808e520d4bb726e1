/*
 * Row formatting for exports, with PostgreSQL's conventions so a file matches what the
 * seed's `COPY <table> TO STDOUT WITH CSV HEADER` and `json_agg(row_to_json(t))` give:
 * CSV booleans t/f, timestamps `2026-01-01 12:00:00.123` (UTC, trailing zeros of the
 * fraction dropped), NULL as an empty unquoted field, an empty string as "" (quoted),
 * fields quoted when they hold a comma, quote, CR or LF; JSON is one array of objects.
 * Pure: no I/O.
 */

export type CsvValue = string | number | boolean | Date | null | undefined;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A Date as PostgreSQL prints a `timestamp` (without time zone) holding UTC. */
export function pgTimestamp(d: Date): string {
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${pad(ms, 3).replace(/0+$/, "")}` : base;
}

/** One CSV field, COPY … CSV style. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return pgTimestamp(value);
  if (value === "" || value === "\\." || /[",\r\n]/.test(value))
    return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One CSV line (LF-terminated, as COPY writes it). */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\n`;
}

/**
 * Streaming JSON array: `jsonOpen` once, `jsonItem(i, text)` per row (text is one JSON
 * value, e.g. PostgreSQL's row_to_json(t)::text), `jsonClose` once. An empty export is
 * `[]`, not null as json_agg would give.
 */
export const jsonOpen = "[";
export function jsonItem(index: number, json: string): string {
  return `${index === 0 ? "\n" : ",\n"}${json}`;
}
export function jsonClose(count: number): string {
  return count === 0 ? "]\n" : "\n]\n";
}

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
