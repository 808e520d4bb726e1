/*
 * The sign-in throttle's policy (db/queries/login-failures.ts stores the counts).
 * Failures are counted per account AND client address: a few are free, then every
 * further attempt from that address for that account waits an interval that doubles,
 * up to a few minutes. Nothing locks an account: its owner signing in from another
 * address is not slowed by an attacker's failures, except by the per-account ceiling,
 * which only lowers the free attempts of every address to one (a wrong password then
 * costs 2 s, 4 s, …), so many addresses together cannot try passwords quickly either.
 * Pure.
 */
export const SIGN_IN_THROTTLE = {
  /** failures per account and address before delays start */
  freeFailures: 5,
  /** free failures per address once the account is over its ceiling */
  freeFailuresOverCeiling: 1,
  /** the first delay; each further failure doubles it */
  baseDelaySeconds: 2,
  maxDelaySeconds: 5 * 60,
  /** failures for one account, all addresses, within `ceilingWindowSeconds` */
  accountCeiling: 20,
  ceilingWindowSeconds: 15 * 60,
  /** a count not added to for this long starts over */
  resetSeconds: 60 * 60,
} as const;

/**
 * Seconds an address must wait after its last failure before its next attempt, given
 * its failure count and how many are free (0 while `count < free`).
 */
export function throttleDelaySeconds(count: number, free: number): number {
  const t = SIGN_IN_THROTTLE;
  if (count < free) return 0;
  const doublings = Math.min(count - free, 20);
  return Math.min(t.baseDelaySeconds * 2 ** doublings, t.maxDelaySeconds);
}
