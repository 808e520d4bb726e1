/*
 * The response-time sketch of the metrics rollup (hitl_metrics_rollup, issue 16): a
 * log-bucket histogram whose buckets merge by adding counts, so a day's, an agent's or
 * all time's percentiles come from summing rows. Pure: the SQL function
 * nexus_metrics_bucket (migration metrics_rollup_trigger) puts a response time in its
 * bucket; this module turns buckets back into values.
 *
 * Bucket b ≥ 0 holds the times in (γ^(b−1), γ^b] ms and stands for 2γ^b / (γ + 1):
 * within RELATIVE_ERROR (1%) of every time in it. Bucket −1 holds 0 ms (exact), −2 the
 * rows without a response time (counted, never in a percentile).
 */

/** The stated bound: a percentile from the sketch is within 1% of the exact one. */
export const RELATIVE_ERROR = 0.01;
export const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
export const ZERO_BUCKET = -1;
export const NO_TIME_BUCKET = -2;

/** The bucket of a response time (what the SQL function computes; for tests). */
export function bucketOf(ms: number | null): number {
  if (ms === null) return NO_TIME_BUCKET;
  if (ms <= 0) return ZERO_BUCKET;
  return Math.ceil(Math.log(ms) / Math.log(GAMMA));
}

/** The value a bucket stands for. */
export function bucketValue(bucket: number): number {
  if (bucket <= ZERO_BUCKET) return 0;
  return (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/**
 * A percentile as percentile_cont computes it (linear interpolation between the values
 * at ranks ⌊r⌋ and ⌈r⌉, r = q·(n−1), 0-based), from the buckets holding those two ranks.
 * Each value is within RELATIVE_ERROR of the exact one, so the interpolation is too.
 * `min`/`max` (kept exactly) clamp the estimates: a bucket never stands for a value
 * outside what was seen.
 */
export function sketchPercentile(
  q: number,
  n: number,
  loBucket: number | null,
  hiBucket: number | null,
  min: number | null = null,
  max: number | null = null,
): number | null {
  if (n <= 0 || loBucket === null || hiBucket === null) return null;
  const clamp = (v: number) => Math.min(max ?? v, Math.max(min ?? v, v));
  const r = q * (n - 1);
  const lo = clamp(bucketValue(loBucket));
  const hi = clamp(bucketValue(hiBucket));
  return lo + (hi - lo) * (r - Math.floor(r));
}

/** One bucket's count in a merged sketch. */
export interface SketchCell {
  bucket: number;
  n: number;
}

/**
 * Percentiles (percentile_cont's definition, see sketchPercentile) of a merged sketch:
 * its buckets' counts in any order; the no-time bucket is left out.
 */
export function percentilesOf(
  cells: readonly SketchCell[],
  quantiles: readonly number[],
  min: number | null = null,
  max: number | null = null,
): (number | null)[] {
  const timed = cells.filter((c) => c.bucket > NO_TIME_BUCKET && c.n > 0);
  timed.sort((a, b) => a.bucket - b.bucket);
  const n = timed.reduce((s, c) => s + c.n, 0);
  /** the bucket holding the value of 0-based rank k */
  const bucketAt = (k: number) => {
    let below = 0;
    for (const c of timed) {
      if (k < below + c.n) return c.bucket;
      below += c.n;
    }
    return timed.at(-1)?.bucket ?? null;
  };
  return quantiles.map((q) => {
    const r = q * (n - 1);
    return sketchPercentile(q, n, bucketAt(Math.floor(r)), bucketAt(Math.ceil(r)), min, max);
  });
}
