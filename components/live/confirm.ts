/**
 * When a page has shown a live event itself, the server render that confirms it (counts,
 * whole texts) waits for a quiet moment: CONFIRM_QUIET_MS without a further event, but
 * never more than CONFIRM_MAX_WAIT_MS after the first event it confirms. A burst of
 * submissions then costs one or two renders instead of one each, and a render (the
 * server has one thread) rarely delays the next event.
 */
export const CONFIRM_QUIET_MS = 1000;
export const CONFIRM_MAX_WAIT_MS = 5000;

/** How long from `nowMs` until the confirming refresh, given the first unconfirmed event. */
export function confirmDelay(nowMs: number, firstUnconfirmedMs: number): number {
  return Math.max(
    0,
    Math.min(nowMs + CONFIRM_QUIET_MS, firstUnconfirmedMs + CONFIRM_MAX_WAIT_MS) - nowMs,
  );
}
