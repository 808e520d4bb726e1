/*
 * `SELECT json_agg(row_to_json(t)) FROM … t` written piece by piece: `[`, the rows'
 * own row_to_json text joined by ", ", then `]`. json_agg of no rows is NULL; an
 * export of nothing is written as `[]` so the file is always valid JSON.
 */
export const JSON_ARRAY_OPEN = "[";
export const JSON_ARRAY_SEPARATOR = ", ";
export const JSON_ARRAY_CLOSE = "]";

export function jsonArrayChunk(rowsJson: readonly string[], first: boolean): string {
  if (rowsJson.length === 0) return "";
  return (first ? "" : JSON_ARRAY_SEPARATOR) + rowsJson.join(JSON_ARRAY_SEPARATOR);
}
