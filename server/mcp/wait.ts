import "server-only";
import { isConnectionError } from "@/db/errors";
import type { RequestKind, RequestRow } from "@/lib/domain/kinds";
import { log } from "@/lib/log";
import { isStopping } from "@/server/events/hub";
import { acquireSlot, currentOwner } from "@/server/events/limits";
import { waitUntilSettled } from "@/server/events/wait";
import { isPending, read } from "@/server/requests/service";

/*
 * An MCP tool's wait for a reviewer: the long poll of the API (waitUntilSettled, which
 * holds one of the caller's wait slots while it lasts), with a progress notification
 * every PROGRESS_INTERVAL_S beside it, so that clients that reset their timeout on
 * progress keep waiting. The wait ends at `deadline` (the request expires at the same
 * moment, so nothing stays pending that nobody waits for).
 */

/** How often a waiting tool reports progress. */
export const PROGRESS_INTERVAL_S = 10;
/** While the database is unreachable, re-read this often. */
const RETRY_MS = 2000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

export interface ToolWait<K extends RequestKind> {
  kind: K;
  row: RequestRow<K>;
  /** when to stop waiting (ms since the epoch) */
  deadline: number;
  signal: AbortSignal;
  /** called every PROGRESS_INTERVAL_S while the request is pending */
  onProgress?: (elapsedS: number) => Promise<void>;
}

/** The request once decided or expired, or as it is when the wait ends (deadline, abort). */
export async function waitForDecision<K extends RequestKind>({
  kind,
  row,
  deadline,
  signal,
  onProgress,
}: ToolWait<K>): Promise<RequestRow<K>> {
  const started = Date.now();
  const elapsed = () => Math.round((Date.now() - started) / 1000);
  const timer = onProgress
    ? setInterval(() => void onProgress(elapsed()).catch(() => {}), PROGRESS_INTERVAL_S * 1000)
    : undefined;
  let current = row;
  try {
    for (;;) {
      const now = Date.now();
      if (!isPending(kind, current, new Date(now))) return current;
      if (now >= deadline || signal.aborted || isStopping()) return current;
      try {
        const next = await waitUntilSettled({
          id: current.id,
          waitS: (deadline - now) / 1000,
          read: () => read(kind, current.id),
          isPending: (r, at) => isPending(kind, r, at),
          expiresAt: (r) => r.expiresAt,
          signal,
        });
        if (next) current = next;
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        // an outage while waiting: the request is stored; keep waiting until it is back
        log().warn({ id: current.id }, "mcp: database unreachable while waiting, retrying");
        await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())), signal);
      }
    }
  } finally {
    clearInterval(timer);
  }
}

/**
 * Throw 429 now, before anything is submitted, when the caller already holds all the
 * waits it may (the wait itself would be refused after the request was made).
 */
export function checkWaitSlot() {
  const owner = currentOwner();
  if (owner) acquireSlot("wait", owner)();
}
