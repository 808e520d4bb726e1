import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import type postgres from "postgres";
import { log } from "@/lib/log";
import { dbTimeLeft } from "./deadline";
import { DatabaseTimeoutError } from "./errors";

/*
 * Bounds on waiting for the database, below drizzle, so every query is covered:
 *
 * - the caller's deadline (db/deadline.ts: a request must be answered within 5 s) or,
 *   without one, the statement timeout plus a grace period: past it the caller gets
 *   DatabaseTimeoutError (503). A query still queued for a pooled connection is taken
 *   out of the queue, so it never runs later.
 * - PostgreSQL server: a connection that has not answered a sent query within the
 *   statement timeout plus a grace period is dead (the server itself cancels at the
 *   statement timeout and says so): the whole pool is replaced, which destroys its
 *   sockets. Without this, a black-holed connection (packets dropped, no RST) would hold
 *   its pool slot until TCP gives up, some 15 minutes later, and recovery would need a
 *   restart.
 * - PGlite: it cannot cancel a running statement (no statement_timeout; a statement runs
 *   synchronously on the event loop), so only the callers waiting behind it are bounded.
 */

/** Beyond the statement timeout: how long a healthy server takes to report it. */
export const GRACE_MS = 1000;

type Pending = postgres.PendingQuery<postgres.Row[]> & { state?: unknown };

interface Watch {
  query: Pending;
  sentAt: number | null;
  onDead: () => void;
}

const watches = new Set<Watch>();
let sweeper: NodeJS.Timeout | null = null;

function sweep(statementMs: number) {
  const now = Date.now();
  for (const w of watches) {
    if (w.sentAt === null && w.query.state) w.sentAt = now;
    if (w.sentAt !== null && now - w.sentAt > statementMs + GRACE_MS) {
      watches.delete(w);
      w.onDead();
    }
  }
  if (watches.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function timeoutError(ms: number) {
  return new DatabaseTimeoutError(`The database did not answer within ${ms} ms.`);
}

/** Wrap one postgres.js query so that awaiting it is bounded (see above). */
function guardQuery(query: Pending, statementMs: number, onDead: () => void): Pending {
  const then = query.then;
  let guarded: Promise<unknown> | undefined;
  const run = () =>
    new Promise<unknown>((resolve, reject) => {
      const left = dbTimeLeft();
      const waitMs = Math.max(0, left ?? statementMs + GRACE_MS);
      const watch: Watch = { query, sentAt: null, onDead };
      watches.add(watch);
      sweeper ??= setInterval(() => sweep(statementMs), 250);
      sweeper.unref();
      const timer = setTimeout(() => {
        if (!query.state) void query.cancel(); // still queued: it must not run later
        reject(timeoutError(waitMs));
      }, waitMs);
      const done = () => {
        clearTimeout(timer);
        watches.delete(watch);
      };
      // Query#then starts the query (postgres.js queries are lazy)
      (then as (a: (v: unknown) => unknown, b: (e: unknown) => unknown) => Promise<unknown>).call(
        query,
        (v) => {
          done();
          resolve(v);
        },
        (e) => {
          done();
          reject(e);
        },
      );
    });
  Object.defineProperty(query, "then", {
    configurable: true,
    value(onOk?: (v: unknown) => unknown, onErr?: (e: unknown) => unknown) {
      guarded ??= run();
      return guarded.then(onOk, onErr);
    },
  });
  return query;
}

/** Bound every query made through `sql.unsafe` (what drizzle uses), transactions included. */
export function guardPostgres(sql: postgres.Sql, statementMs: number, onDead: () => void) {
  const patch = (s: postgres.Sql | postgres.TransactionSql) => {
    const unsafe = s.unsafe.bind(s);
    (s as { unsafe: unknown }).unsafe = (...args: Parameters<typeof unsafe>) =>
      guardQuery(unsafe(...args) as Pending, statementMs, onDead);
  };
  patch(sql);
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  (sql as { begin: unknown }).begin = (...args: unknown[]) => {
    const cb = args.pop() as (tx: postgres.TransactionSql) => unknown;
    return bounded(
      begin(...args, (tx: postgres.TransactionSql) => {
        patch(tx);
        return cb(tx);
      }),
      statementMs,
    );
  };
  return sql;
}

/** `work`, or DatabaseTimeoutError once the caller's deadline (or the default) passes. */
function bounded<T>(work: Promise<T>, statementMs: number): Promise<T> {
  const left = dbTimeLeft();
  const waitMs = Math.max(0, left ?? statementMs + GRACE_MS);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(waitMs)), waitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * PGlite runs one statement or transaction at a time (its query, exec and transaction
 * all take `_runExclusiveTransaction`). Bound the wait for that turn: a caller still
 * waiting at its deadline gets DatabaseTimeoutError, and its work is skipped when the
 * turn comes (so a timed-out write never happens later). Work that has started runs to
 * its end: PGlite cannot interrupt a statement.
 */
export function guardPglite(pg: PGlite, statementMs: number) {
  const original = pg._runExclusiveTransaction.bind(pg);
  Object.defineProperty(pg, "_runExclusiveTransaction", {
    configurable: true,
    value: <T>(fn: () => Promise<T>): Promise<T> => {
      const waitMs = Math.max(0, dbTimeLeft() ?? statementMs + GRACE_MS);
      let gaveUp = false;
      let started = false;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (started) return;
          gaveUp = true;
          reject(timeoutError(waitMs));
        }, waitMs);
        original(async () => {
          if (gaveUp) throw timeoutError(waitMs);
          started = true;
          clearTimeout(timer);
          return fn();
        }).then(resolve, reject);
      });
    },
  });
}

export function logPoolReplaced(label: string) {
  log().warn(
    { database: label },
    "database: a query got no answer past the statement timeout; connection presumed dead, pool replaced",
  );
}
