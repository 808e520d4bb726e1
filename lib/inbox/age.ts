/*
 * Coarse, minute-grained ages for the inbox ("waiting 3 min", "expires in 12 min"):
 * the list re-renders every 30 s, so seconds would only flicker. Pure: `now` is passed
 * in (a server-provided reference time advanced by the client's own clock).
 */
export function formatAge(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return "less than 1 min";
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 24) return m ? `${h} h ${m} min` : `${h} h`;
  const d = Math.floor(h / 24);
  const hh = h % 24;
  return hh ? `${d} d ${hh} h` : `${d} d`;
}

export function waitingLabel(timestampMs: number, nowMs: number): string {
  return `waiting ${formatAge(nowMs - timestampMs)}`;
}

/** "expires in 12 min", "expired", or null when there is no deadline. */
export function expiryLabel(expiresAtMs: number | null, nowMs: number): string | null {
  if (expiresAtMs === null) return null;
  if (expiresAtMs <= nowMs) return "expired";
  return `expires in ${formatAge(expiresAtMs - nowMs)}`;
}

/** ms until the next item's deadline passes (to drop it on time), or null. */
export function msUntilNextExpiry(expiries: readonly (number | null)[], nowMs: number) {
  let next: number | null = null;
  for (const e of expiries) if (e !== null && e > nowMs && (next === null || e < next)) next = e;
  return next === null ? null : next - nowMs;
}
