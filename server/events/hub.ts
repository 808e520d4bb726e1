import "server-only";
import { randomUUID } from "node:crypto";
import { getDatabase } from "@/db/client";
import { EVENTS_CHANNEL, pingEvents, type CacheTopic, type NexusEvent } from "@/db/events";
import { forgetCachedApiKeys } from "@/db/queries/api-keys";
import { forgetCachedRules } from "@/db/queries/rules";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import { log } from "@/lib/log";
import { onShutdown } from "@/server/start";

/*
 * One LISTEN connection per process on `nexus_events`, fanned out in memory to long
 * polls (by request id) and SSE streams (everything). Kept on globalThis: Next.js loads
 * server modules more than once and each copy must share the one listener.
 *
 * Signals a subscriber gets: an event; "recheck" after the listener (re)connects (a
 * NOTIFY may have been missed while it was down); "shutdown" when the server stops.
 *
 * Liveness: postgres.js re-LISTENs after a dropped connection, but gives up silently if
 * the database is still down at that moment. So the hub NOTIFYs itself a heartbeat
 * every HEARTBEAT_MS; when the previous one never came back, it LISTENs afresh (and
 * every subscriber re-checks its state).
 */

export const HEARTBEAT_MS = 5000;

/** What each cache topic's notice clears in this process (db/events.ts notifyInvalidate). */
const CACHES: Record<CacheTopic, () => void> = {
  api_keys: forgetCachedApiKeys,
  rules: forgetCachedRules,
};
const forgetAll = () => Object.values(CACHES).forEach((forget) => forget());

export type Signal =
  { kind: "event"; event: NexusEvent } | { kind: "recheck" } | { kind: "shutdown" };
type Listener = (signal: Signal) => void;

interface Hub {
  byId: Map<string, Set<Listener>>;
  all: Set<Listener>;
  listening: Promise<void> | null;
  unlisten: (() => Promise<void>) | null;
  heartbeat: NodeJS.Timeout | null;
  /** nonce of the heartbeat not yet heard back */
  awaitingPing: string | null;
  stopping: boolean;
  inflight: Set<Promise<unknown>>;
}

const g = globalThis as unknown as { __nexusEventHub?: Hub };

function hub(): Hub {
  if (!g.__nexusEventHub) {
    const h: Hub = {
      byId: new Map(),
      all: new Set(),
      listening: null,
      unlisten: null,
      heartbeat: null,
      awaitingPing: null,
      stopping: false,
      inflight: new Set(),
    };
    g.__nexusEventHub = h;
    onShutdown(() => shutdownHub(h));
  }
  return g.__nexusEventHub;
}

function isEvent(value: unknown): value is NexusEvent {
  const v = value as Partial<NexusEvent> | null;
  return (
    !!v &&
    (v.type === "request.created" ||
      v.type === "request.approval" ||
      v.type === "request.decided") &&
    REQUEST_KINDS.includes(v.request_type as RequestKind) &&
    typeof v.id === "string" &&
    typeof v.agent_id === "string"
  );
}

function deliver(h: Hub, listeners: Iterable<Listener>, signal: Signal) {
  for (const listener of [...listeners]) {
    try {
      listener(signal);
    } catch (err) {
      log().error({ err }, "events: subscriber failed");
    }
  }
  void h;
}

function onMessage(payload: string) {
  const h = hub();
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    return;
  }
  const notice = event as { type?: string; nonce?: string; topic?: string } | null;
  if (notice?.type === "hub.ping") {
    if (notice.nonce === h.awaitingPing) h.awaitingPing = null;
    return;
  }
  if (notice?.type === "cache.invalidate") {
    if (notice.topic && Object.hasOwn(CACHES, notice.topic)) CACHES[notice.topic as CacheTopic]();
    return;
  }
  if (!isEvent(event)) return;
  const signal: Signal = { kind: "event", event };
  deliver(h, h.byId.get(event.id) ?? [], signal);
  deliver(h, h.all, signal);
}

function onConnect() {
  const h = hub();
  forgetAll(); // a notice may have been missed while the connection was down
  const everyone = [...h.all, ...[...h.byId.values()].flatMap((s) => [...s])];
  deliver(h, everyone, { kind: "recheck" });
}

/** Start this process's LISTEN (once); rejects when the database is unreachable. */
export function ensureListening(): Promise<void> {
  const h = hub();
  h.listening ??= getDatabase()
    .then((d) => d.listen(EVENTS_CHANNEL, onMessage, onConnect))
    .then(
      (unlisten) => {
        h.unlisten = unlisten;
        h.awaitingPing = null;
        log().debug({ channel: EVENTS_CHANNEL }, "events: listening");
      },
      (err) => {
        h.listening = null; // retry on the next subscriber or heartbeat
        throw err;
      },
    );
  if (!h.heartbeat) {
    h.heartbeat = setInterval(() => void heartbeat(h), HEARTBEAT_MS);
    h.heartbeat.unref();
  }
  return h.listening;
}

async function heartbeat(h: Hub) {
  if (h.stopping) return;
  try {
    if (h.listening && h.awaitingPing) {
      log().warn("events: LISTEN connection lost; listening again");
      const old = h.unlisten;
      h.unlisten = null;
      h.listening = null;
      h.awaitingPing = null;
      await old?.().catch(() => {});
    }
    await ensureListening();
    const nonce = randomUUID();
    h.awaitingPing = nonce;
    await pingEvents((await getDatabase()).db, nonce);
  } catch (err) {
    log().debug({ err }, "events: heartbeat failed (database unreachable?)");
  }
}

/** Subscribe to one request's events (`id`) or to all events (`null`). Returns unsubscribe. */
export function subscribe(id: string | null, listener: Listener): () => void {
  const h = hub();
  if (id === null) {
    h.all.add(listener);
    return () => h.all.delete(listener);
  }
  let set = h.byId.get(id);
  if (!set) h.byId.set(id, (set = new Set()));
  set.add(listener);
  return () => {
    const s = h.byId.get(id);
    if (!s) return;
    s.delete(listener);
    if (s.size === 0) h.byId.delete(id);
  };
}

export function isStopping(): boolean {
  return hub().stopping;
}

/** Track work that shutdown should let finish (long polls answering). */
export function track<T>(work: Promise<T>): Promise<T> {
  const h = hub();
  h.inflight.add(work);
  const done = () => h.inflight.delete(work);
  work.then(done, done);
  return work;
}

export function subscriberCount(): number {
  const h = hub();
  let n = h.all.size;
  for (const s of h.byId.values()) n += s.size;
  return n;
}

/** On SIGTERM: wake every waiter (they answer with current state), close streams. */
async function shutdownHub(h: Hub) {
  h.stopping = true;
  if (h.heartbeat) clearInterval(h.heartbeat);
  const everyone = [...h.all, ...[...h.byId.values()].flatMap((s) => [...s])];
  deliver(h, everyone, { kind: "shutdown" });
  const settle = Promise.allSettled([...h.inflight]);
  await Promise.race([settle, new Promise((r) => setTimeout(r, 3000))]);
  await new Promise((r) => setTimeout(r, 100)); // let the answers flush
}
