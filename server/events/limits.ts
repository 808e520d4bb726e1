import "server-only";
import { env } from "@/lib/env";
import { rateLimited } from "@/server/api/errors";
import { requestContext } from "@/server/request-context";

/*
 * Per-principal caps on what a caller can hold open: long polls (GET …/{id}?wait=N) and
 * event streams. Each costs memory and a subscriber on the hub while it lasts, so one
 * key (or one session's user) may hold at most NEXUS_MAX_WAITS_PER_PRINCIPAL /
 * NEXUS_MAX_STREAMS_PER_PRINCIPAL at a time; beyond that 429 rate_limited with
 * Retry-After. A slot is released when its request ends, client aborts included.
 * Per process, kept on globalThis (Next.js loads modules more than once).
 */

export type SlotKind = "wait" | "stream";

const g = globalThis as unknown as { __nexusSlots?: Record<SlotKind, Map<string, number>> };
const slots = () => (g.__nexusSlots ??= { wait: new Map(), stream: new Map() });

function limitOf(kind: SlotKind): number {
  const e = env();
  return kind === "wait" ? e.NEXUS_MAX_WAITS_PER_PRINCIPAL : e.NEXUS_MAX_STREAMS_PER_PRINCIPAL;
}

/** Slots `owner` holds now (tests). */
export function slotsHeld(kind: SlotKind, owner: string): number {
  return slots()[kind].get(owner) ?? 0;
}

/**
 * Take one slot for `owner` or throw 429. Returns the release function (idempotent).
 */
export function acquireSlot(kind: SlotKind, owner: string): () => void {
  const map = slots()[kind];
  const held = map.get(owner) ?? 0;
  if (held >= limitOf(kind)) {
    throw rateLimited(
      kind === "wait"
        ? `Too many long polls open for this caller (at most ${limitOf(kind)}); wait for one to finish or poll without ?wait.`
        : `Too many event streams open for this caller (at most ${limitOf(kind)}); close one first.`,
    );
  }
  map.set(owner, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (map.get(owner) ?? 1) - 1;
    if (n <= 0) map.delete(owner);
    else map.set(owner, n);
  };
}

/** The current request's principal as a slot owner ("key:<id>", "user:<id>"), if known. */
export function currentOwner(): string | undefined {
  const p = requestContext()?.principal;
  return p ? `${p.kind}:${p.id}` : undefined;
}
