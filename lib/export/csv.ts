/*
 * PostgreSQL's CSV conventions, as `COPY … TO STDOUT WITH CSV HEADER` writes them
 * (src/backend/commands/copyto.c, CopyAttributeOutCSV): fields separated by `,`,
 * rows ended by `\n`, NULL written as nothing, an empty string written as `""`, and a
 * field quoted (with `"` doubled) when it holds a delimiter, a quote, CR or LF. A lone
 * `\.` in a single-column file is quoted so it cannot read as the end-of-data marker.
 * Values arrive as PostgreSQL's own text output (booleans `t`/`f`, ISO timestamps).
 */

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | null, singleColumn = false): string {
  if (value === null) return "";
  if (value === "" || NEEDS_QUOTES.test(value) || (singleColumn && value === "\\.")) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One CSV line, newline included. */
export function csvLine(values: readonly (string | null)[]): string {
  const single = values.length === 1;
  return values.map((v) => csvField(v, single)).join(",") + "\n";
}
