/** Latency statistics for benchmark samples (milliseconds). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    mean,
  };
}

/**
 * Closed-loop load: `concurrency` workers each run `op` back to back for `durationMs`.
 * Returns throughput, latency summary and error count. `stop` ends it early.
 */
export async function closedLoop(
  op: (worker: number, i: number) => Promise<void>,
  concurrency: number,
  durationMs: number,
  stop?: AbortSignal,
) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < deadline && !stop?.aborted; i++) {
        const t0 = performance.now();
        try {
          await op(w, i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    rps: latencies.length / elapsed,
    latency: summarize(latencies),
    errors,
    firstError: firstError ? String(firstError) : null,
  };
}
