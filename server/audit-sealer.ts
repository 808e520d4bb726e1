import "server-only";
import { sealAudit } from "@/db/queries/audit";
import { log } from "@/lib/log";

/*
 * Seals the audit log in the background (db/queries/audit.ts sealAudit): every half
 * second, and at once again while a full batch shows there is more to seal (not after
 * any batch at all: under a steady trickle of requests that sealed one or two entries
 * in a transaction of its own per request, most of the server's database work; issue 16).
 * Several processes may run it: one seals at a time (an advisory lock), the others skip.
 */

const INTERVAL_MS = 500;
/** entries sealed in one transaction (sealAudit's default limit) */
const BATCH = 1000;

export interface AuditSealer {
  /** Stop the timer and seal what is committed once more. */
  stop(): Promise<void>;
}

export function startAuditSealer(intervalMs = INTERVAL_MS): AuditSealer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  const tick = async () => {
    let sealed = 0;
    try {
      sealed = await sealAudit({ limit: BATCH });
      if (failing) log().info("audit log sealing works again");
      failing = false;
    } catch (err) {
      if (!failing) log().error({ err }, `audit log sealing failed: ${(err as Error).message}`);
      failing = true;
    }
    if (!stopped) timer = setTimeout(run, sealed >= BATCH ? 0 : intervalMs).unref();
  };
  const run = () => {
    running = tick();
  };
  timer = setTimeout(run, intervalMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await sealAudit().catch(() => 0);
    },
  };
}
