import "server-only";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/* Shared pieces of db/queries/approvals.ts and db/queries/questions.ts. */

/** The database clock as UTC wall-clock time (TIMESTAMP columns hold UTC). */
export const nowUtc = sql`(now() AT TIME ZONE 'UTC')`;

/** expires_at for a request created now with `expires_in_s` (null: no deadline). */
export function expiresAtIn(expiresInS: number | null): SQL | null {
  return expiresInS === null ? null : sql`${nowUtc} + make_interval(secs => ${expiresInS})`;
}

/** The `expires_in_s` a stored row was created with (to compare an idempotent retry). */
export function storedExpiresInS(expiresAt: SQLWrapper, createdAt: SQLWrapper) {
  return sql<number | null>`ROUND(EXTRACT(EPOCH FROM (${expiresAt} - ${createdAt})))::int`;
}

/** created: a new row; identical: same id and content (a retry); different: id reused. */
export type CreateOutcome<Row> = { kind: "created" | "identical" | "different"; row: Row };

/** Keyset position: created_at as PostgreSQL prints it (microseconds kept), and the id. */
export interface Cursor {
  time: string;
  id: string;
}

export interface PageQuery<Status extends string> {
  status?: Status;
  agentId?: string;
  limit: number;
  cursor?: Cursor | null;
}

export interface Page<Row> {
  items: Row[];
  next: Cursor | null;
}

const CURSOR_TIME = /^(-infinity|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cursor PostgreSQL will accept (so a tampered one is a 400, not a query error). */
export function isValidCursor(value: unknown): value is Cursor {
  if (!value || typeof value !== "object") return false;
  const { time, id } = value as Record<string, unknown>;
  if (typeof time !== "string" || typeof id !== "string") return false;
  if (!CURSOR_TIME.test(time) || !UUID.test(id)) return false;
  if (time === "-infinity") return true;
  if (time.startsWith("0000")) return false; // PostgreSQL has no year 0
  const d = new Date(`${time.replace(" ", "T").slice(0, 23)}Z`);
  return (
    !Number.isNaN(d.getTime()) &&
    d.toISOString().slice(0, 19) === time.slice(0, 19).replace(" ", "T")
  );
}

/** Rows strictly after the cursor in (created DESC, id DESC) order. */
export function afterCursor(created: SQL, id: SQLWrapper, cursor: Cursor): SQL {
  return sql`(${created}, ${id}) < (${cursor.time}::timestamp, ${cursor.id}::uuid)`;
}

/** Split one extra row off a `limit + 1` query into the next cursor. */
export function pageOf<R extends { id: string; cursorTime: string }>(
  found: R[],
  limit: number,
): Page<Omit<R, "cursorTime">> {
  const more = found.length > limit;
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(({ cursorTime: _c, ...row }) => {
      void _c;
      return row;
    }),
    next: more && last ? { time: last.cursorTime, id: last.id } : null,
  };
}
