/** Reconnect delay after `attempt` failures: 1 s, 2 s, 4 s … capped at 30 s, 50–100 % jitter. */
export function nextBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random() / 2));
}
