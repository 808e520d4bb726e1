import "server-only";
import { log } from "@/lib/log";
import { REQUEST_DB_BUDGET_MS, withDbDeadline } from "@/db/deadline";
import { ensureListening, isStopping, subscribe, track, type Signal } from "./hub";
import { acquireSlot, currentOwner } from "./limits";

/*
 * Long poll: wait until a request leaves `pending`, the wait runs out, or the request
 * reaches its expires_at. No database connection is held while waiting: the state is
 * read, the waiter sleeps on the in-memory hub, and reads again when woken.
 */

type Wake = Signal["kind"] | "timeout" | "aborted";

/** A subscription that remembers a signal that came while nobody was awaiting it. */
function openSubscription(id: string) {
  let pending: Wake | null = null;
  let resolveNext: ((w: Wake) => void) | null = null;
  const unsubscribe = subscribe(id, (signal) => {
    if (resolveNext) {
      const r = resolveNext;
      resolveNext = null;
      r(signal.kind);
    } else if (pending !== "shutdown") pending = signal.kind;
  });
  return {
    next(ms: number, signal?: AbortSignal): Promise<Wake> {
      if (pending) {
        const p = pending;
        pending = null;
        return Promise.resolve(p);
      }
      if (signal?.aborted) return Promise.resolve("aborted");
      return new Promise<Wake>((resolve) => {
        const finish = (w: Wake) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolveNext = null;
          resolve(w);
        };
        const onAbort = () => finish("aborted");
        const timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
        signal?.addEventListener("abort", onAbort, { once: true });
        resolveNext = finish;
      });
    },
    close: unsubscribe,
  };
}

export interface WaitOptions<Row> {
  id: string;
  waitS: number;
  read: () => Promise<Row | null>;
  isPending: (row: Row, now: Date) => boolean;
  expiresAt: (row: Row) => Date | null;
  signal?: AbortSignal;
  /** the row as the caller just read or wrote it: not read again when it is settled */
  first?: Row;
}

/** Fallback re-check interval when LISTEN cannot be started (database hiccup). */
const POLL_FALLBACK_MS = 1000;

/** The row once it is no longer pending or the wait is over; null when unknown. */
export function waitUntilSettled<Row>(options: WaitOptions<Row>): Promise<Row | null> {
  return track(waitLoop(options));
}

async function waitLoop<Row>({
  id,
  waitS,
  read: readRow,
  isPending,
  expiresAt,
  signal,
  first,
}: WaitOptions<Row>): Promise<Row | null> {
  const deadline = Date.now() + waitS * 1000;
  // every read gets the request's database budget afresh: the wait itself holds nothing
  const read = () => withDbDeadline(REQUEST_DB_BUDGET_MS, readRow);
  const row = first ?? (await read());
  if (!row || !isPending(row, new Date()) || waitS <= 0 || isStopping()) return row;

  // a caller may hold only so many waits at once (429 beyond); released when this ends
  const owner = currentOwner();
  const release = owner ? acquireSlot("wait", owner) : () => {};
  try {
    return await waitPending(row, { id, deadline, read, isPending, expiresAt, signal });
  } finally {
    release();
  }
}

async function waitPending<Row>(
  first: Row,
  {
    id,
    deadline,
    read,
    isPending,
    expiresAt,
    signal,
  }: Omit<WaitOptions<Row>, "waitS"> & { deadline: number },
): Promise<Row | null> {
  let row: Row | null = first;
  let fallback = false;
  try {
    await ensureListening();
  } catch (err) {
    log().warn({ err }, "events: LISTEN unavailable, long poll falls back to polling");
    fallback = true;
  }
  const sub = openSubscription(id);
  try {
    row = await read(); // closes the race between the first read and subscribing
    for (;;) {
      if (!row) return null;
      const now = Date.now();
      if (!isPending(row, new Date(now)) || now >= deadline || isStopping()) return row;
      let ms = deadline - now;
      const exp = expiresAt(row);
      if (exp) ms = Math.min(ms, exp.getTime() - now + 1);
      if (fallback) ms = Math.min(ms, POLL_FALLBACK_MS);
      const wake = await sub.next(ms, signal);
      if (wake === "aborted") return row;
      if (wake === "timeout" && !fallback) continue; // deadline or expiry: re-evaluate time
      row = await read();
    }
  } finally {
    sub.close();
  }
}
