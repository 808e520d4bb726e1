import "server-only";
import { getDatabase } from "@/db/client";
import {
  backoffMs,
  claimDeliveries,
  dispatchEvents,
  nextDueAt,
  OUTBOX_CHANNEL,
  targetKey,
  settleDelivery,
  type AttemptOutcome,
  type ClaimedDelivery,
} from "@/db/queries/outbox";
import { sweepTimedEvents } from "@/db/queries/request-store";
import { log } from "@/lib/log";
import { registeredChannels, type Channel } from "./channels";

/*
 * The outbox worker, one per process. Woken by NOTIFY nexus_outbox (an event committed,
 * a redelivery asked) and by its own timers (the next retry falling due; a sweep every
 * `sweepMs` for expiries and escalations, and anything a missed NOTIFY left behind):
 *   1. sweep (when due): write request.expired / request.escalated events
 *   2. dispatch: fan undispatched events out into deliveries (SKIP LOCKED)
 *   3. claim due deliveries with a lease (SKIP LOCKED) and attempt each concurrently,
 *      `concurrency` at most: a hanging receiver holds one slot until its timeout
 *   4. settle each: delivered, or retry after exponential backoff with jitter, or
 *      failed once its give-up time has passed
 * With several processes on one PostgreSQL each delivery is claimed by one at a time.
 * Within a process nothing is sent twice: a delivery is attempted only under its lease,
 * and an outcome the database could not take yet is kept and written later instead of
 * sending again.
 */

/** events fanned out in one dispatch transaction */
const DISPATCH_BATCH = 100;

export interface WorkerOptions {
  /** one attempt's limit (connect + answer) */
  timeoutMs: number;
  /** retries stop (delivery failed) this long after the event */
  giveUpAfterMs: number;
  /** a webhook whose deliveries fail for this long is disabled */
  disableAfterMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** expiry/escalation sweep and safety-net poll */
  sweepMs: number;
  /**
   * a NOTIFY of a new event starts a cycle this much later, so that the events of many
   * requests in a burst are fanned out together: one dispatch transaction instead of one
   * per request competing with the requests themselves (issue 16; 0: at once)
   */
  coalesceMs?: number;
  /** attempts in flight at once in this process */
  concurrency: number;
  /** of those, at most this many to one subscriber (a hanging receiver holds no more) */
  perTarget: number;
  /** public URL for links */
  baseUrl: string;
  /** default: the registered channels */
  channels?: Channel[];
}

export const DEFAULT_WORKER_OPTIONS = {
  timeoutMs: 10_000,
  giveUpAfterMs: 24 * 3600_000,
  disableAfterMs: 24 * 3600_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 3600_000,
  sweepMs: 5_000,
  coalesceMs: 25,
  concurrency: 16,
  perTarget: 4,
} satisfies Partial<WorkerOptions>;

export interface OutboxWorker {
  /** run a cycle now (tests; NOTIFY does this) */
  kick(): void;
  /** resolves when no cycle runs and nothing is in flight */
  idle(): Promise<void>;
  /** stop: no new claims; in-flight attempts get `graceMs`, then are cancelled */
  stop(graceMs?: number): Promise<void>;
}

export function startOutboxWorker(options: WorkerOptions): OutboxWorker {
  const o = options;
  const stopController = new AbortController();
  const inflight = new Map<string, Promise<void>>();
  /** attempts in flight per subscriber (targetKey) */
  const perTarget = new Map<string, number>();
  /** outcomes attempted but not yet written (the database was unreachable) */
  const unsettled = new Map<string, { outcome: AttemptOutcome; retryInMs: number }>();
  let running: Promise<void> | null = null;
  let again = false;
  let sweepDue = true;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  const channels = () => o.channels ?? registeredChannels();
  const leaseMs = o.timeoutMs + 30_000;

  const sweepTimer = setInterval(() => {
    sweepDue = true;
    kick();
  }, o.sweepMs);
  sweepTimer.unref();

  /*
   * A cycle started by new events alone (NOTIFY) claims deliveries only if fanning them
   * out made some: with no subscriber nothing can be due that was not due before, and
   * the timer for what is due later is already set. Any other start (the timer, a sweep,
   * a finished attempt, a reconnect) claims.
   */
  let claimWanted = true;
  let coalescing: NodeJS.Timeout | null = null;
  const notified = () => {
    if (!o.coalesceMs) return kick(false);
    coalescing ??= setTimeout(() => {
      coalescing = null;
      kick(false);
    }, o.coalesceMs);
  };

  void getDatabase()
    .then((d) =>
      d.listen(
        OUTBOX_CHANNEL,
        () => notified(),
        () => kick(),
      ),
    )
    .then(
      (u) => {
        if (stopped) void u().catch(() => {});
        else unlisten = u;
      },
      (err) => log().warn({ err: String(err) }, "outbox: LISTEN failed; polling only"),
    );

  async function settle(claimed: ClaimedDelivery, outcome: AttemptOutcome, retryInMs: number) {
    try {
      const status = await settleDelivery(claimed.delivery, outcome, retryInMs);
      unsettled.delete(claimed.delivery.id);
      if (status === "failed")
        log().warn(
          {
            delivery: claimed.delivery.id,
            channel: claimed.delivery.channel,
            error: outcome.error,
          },
          "outbox: delivery given up",
        );
    } catch (err) {
      // written on a later cycle; the lease keeps other processes off it meanwhile
      unsettled.set(claimed.delivery.id, { outcome, retryInMs });
      log().warn({ err: String(err) }, "outbox: could not record a delivery; will retry");
    }
  }

  async function attempt(channel: Channel, claimed: ClaimedDelivery) {
    const kept = unsettled.get(claimed.delivery.id);
    if (kept) return settle(claimed, kept.outcome, kept.retryInMs); // sent already: write it
    let outcome: AttemptOutcome;
    try {
      outcome = await channel.deliver(claimed, {
        signal: stopController.signal,
        timeoutMs: o.timeoutMs,
        baseUrl: o.baseUrl,
        disableAfterMs: o.disableAfterMs,
      });
    } catch (err) {
      outcome = { ok: false, statusCode: null, latencyMs: 0, error: String(err) };
    }
    const retryInMs = stopController.signal.aborted
      ? 0 // cancelled by our shutdown: due again at once (another process, or our restart)
      : Math.max(
          outcome.retryAfterMs ?? 0,
          backoffMs(claimed.delivery.attempts, o.backoffBaseMs, o.backoffMaxMs),
        );
    await settle(claimed, outcome, Math.min(retryInMs, o.backoffMaxMs));
  }

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, Math.max(10, Math.min(ms, o.sweepMs)));
    timer.unref();
  }

  async function cycle() {
    const list = channels();
    const byName = new Map(list.map((c) => [c.name, c]));
    const names = [...byName.keys()];
    let claimedAny = false;
    do {
      again = false;
      if (sweepDue) {
        sweepDue = false;
        await sweepTimedEvents();
      }
      const targets = Object.fromEntries(list.map((c) => [c.name, c.targets]));
      let made = 0;
      const countMade = (n: number) => void (made += n);
      // a batch shorter than the limit took every event there was
      while (
        (await dispatchEvents(targets, o.giveUpAfterMs, DISPATCH_BATCH, countMade)) ===
          DISPATCH_BATCH &&
        !stopped
      );
      if (stopped) return;
      if (made === 0 && !claimWanted) continue; // to `while`: again, if more events came
      claimWanted = false;
      claimedAny = true;
      const free = o.concurrency - inflight.size;
      const busy = [...perTarget].filter(([, n]) => n >= o.perTarget).map(([k]) => k);
      const claimed = await claimDeliveries(names, free, leaseMs, {
        perTarget: o.perTarget,
        busy,
      });
      for (const c of claimed) {
        const channel = byName.get(c.delivery.channel)!;
        const id = c.delivery.id;
        const key = targetKey(c.delivery.channel, c.delivery.target);
        perTarget.set(key, (perTarget.get(key) ?? 0) + 1);
        const work = attempt(channel, c).finally(() => {
          inflight.delete(id);
          const left = (perTarget.get(key) ?? 1) - 1;
          if (left > 0) perTarget.set(key, left);
          else perTarget.delete(key);
          kick();
        });
        inflight.set(id, work);
      }
      if (free > 0 && claimed.length === free) again = true; // more may be due
    } while (again && !stopped);
    // nothing claimed: the timer an earlier cycle set for what is due still stands
    if (!claimedAny) return;
    // every slot taken: a finishing attempt kicks the next cycle; no timer needed
    if (inflight.size >= o.concurrency) return;
    const due = await nextDueAt(names);
    // due already but not claimed: its subscriber is busy (a finishing attempt kicks) or
    // another process is claiming it; look again shortly
    schedule(due ? Math.max(due.getTime() - Date.now(), 250) : o.sweepMs);
  }

  function kick(claim = true) {
    if (stopped) return;
    if (claim) claimWanted = true;
    if (running) {
      again = true;
      return;
    }
    running = cycle()
      .catch((err) => {
        log().warn({ err: String(err) }, "outbox: cycle failed (database unreachable?); retrying");
        schedule(Math.min(o.sweepMs, 1000));
      })
      .finally(() => {
        running = null;
        if (again && !stopped) kick();
      });
  }

  kick();

  return {
    kick,
    async idle() {
      while (running || inflight.size > 0 || coalescing) {
        if (coalescing && !running) await new Promise((r) => setTimeout(r, o.coalesceMs));
        await running;
        await Promise.allSettled([...inflight.values()]);
      }
    },
    async stop(graceMs = 3000) {
      if (stopped) return;
      stopped = true;
      clearInterval(sweepTimer);
      if (timer) clearTimeout(timer);
      if (coalescing) clearTimeout(coalescing);
      coalescing = null;
      await running;
      const all = Promise.allSettled([...inflight.values()]);
      const grace = setTimeout(() => stopController.abort(), graceMs);
      await all;
      clearTimeout(grace);
      // outcomes never written stay leased: the lease expires and the attempt is retried
      await unlisten?.().catch(() => {});
    },
  };
}
