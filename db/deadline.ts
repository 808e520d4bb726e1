import { AsyncLocalStorage } from "node:async_hooks";

/*
 * How long a caller may wait for the database. The HTTP edge promises an answer within
 * 5 s even when the database is gone (black-holed connections included), so a request's
 * handler runs with a deadline; a query still unanswered at the deadline rejects with
 * DatabaseTimeoutError (503) instead of hanging until the client gives up.
 *
 * The bound lasts while the function given to withDbDeadline runs: work that outlives it
 * (a timer started during a request, a streamed response's later reads) inherits the
 * async context but not the bound, and has only the statement timeout.
 */

/** Time a request may spend waiting for the database, leaving room to answer. */
export const REQUEST_DB_BUDGET_MS = 4000;

interface Bound {
  deadline: number;
  open: boolean;
}

const g = globalThis as unknown as { __nexusDbDeadline?: AsyncLocalStorage<Bound> };
const store = (g.__nexusDbDeadline ??= new AsyncLocalStorage<Bound>());

/**
 * Run `fn` with database calls bounded to `ms` from now (nested calls: the new bound).
 * A thenable result (drizzle's queries are lazy) is started here, inside the bound.
 */
export function withDbDeadline<T>(ms: number, fn: () => T): T {
  const bound: Bound = { deadline: Date.now() + ms, open: true };
  const close = () => {
    bound.open = false;
  };
  return store.run(bound, () => {
    let result: T;
    try {
      result = fn();
    } catch (err) {
      close();
      throw err;
    }
    if (!isThenable(result)) {
      close();
      return result;
    }
    const started = Promise.resolve(result);
    started.then(close, close);
    return started as T;
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    !!value &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Milliseconds left before the current deadline, or undefined without one. */
export function dbTimeLeft(): number | undefined {
  const bound = store.getStore();
  return bound?.open ? bound.deadline - Date.now() : undefined;
}
