import "server-only";

/*
 * Long polls waiting and event streams open in this process. The per-principal limits
 * (server/events/limits.ts) hold every open one as a slot, per owner, on globalThis;
 * this sums them (0 until that store exists).
 */
type SlotKind = "wait" | "stream";
const g = globalThis as unknown as { __nexusSlots?: Record<SlotKind, Map<string, number>> };

export function openSlots(kind: SlotKind): number {
  let n = 0;
  for (const held of g.__nexusSlots?.[kind]?.values() ?? []) n += held;
  return n;
}
