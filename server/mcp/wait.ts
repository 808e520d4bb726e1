import "server-only";
import { isConnectionError } from "@/db/errors";
import type { RequestKind, RequestRow } from "@/lib/domain/kinds";
import { log } from "@/lib/log";
import { isStopping } from "@/server/events/hub";
import { waitUntilSettled } from "@/server/events/wait";
import { isPending, read } from "@/server/requests/service";

/*
 * An MCP tool's wait for a reviewer: the long poll of the API (waitUntilSettled), in
 * slices, so that a progress notification goes out between slices. Clients that reset
 * their timeout on progress keep waiting; the wait itself ends at `deadline` (the
 * request expires at the same moment, so nothing stays pending that nobody waits for).
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
  /** called after each slice while the request is still pending */
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
  let current = row;
  for (;;) {
    const now = Date.now();
    if (!isPending(kind, current, new Date(now))) return current;
    if (now >= deadline || signal.aborted || isStopping()) return current;
    const sliceS = Math.min(PROGRESS_INTERVAL_S, (deadline - now) / 1000);
    try {
      const next = await waitUntilSettled({
        id: current.id,
        waitS: sliceS,
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
    if (isPending(kind, current, new Date()) && onProgress && !signal.aborted) {
      await onProgress(Math.round((Date.now() - started) / 1000)).catch(() => {});
    }
  }
}
