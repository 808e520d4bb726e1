import { describe, expect, it } from "vitest";
import {
  bucketOf,
  bucketValue,
  NO_TIME_BUCKET,
  percentilesOf,
  RELATIVE_ERROR,
  ZERO_BUCKET,
} from "@/lib/metrics/sketch";

/** percentile_cont's definition: linear interpolation at rank q·(n−1) of the sorted values. */
function percentileCont(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const r = q * (s.length - 1);
  return s[Math.floor(r)]! + (s[Math.ceil(r)]! - s[Math.floor(r)]!) * (r - Math.floor(r));
}

/** A deterministic pseudo-random sequence (no flakiness). */
function* lcg(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

const sketchOf = (values: (number | null)[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
  return [...counts].map(([bucket, n]) => ({ bucket, n }));
};

describe("response-time sketch", () => {
  it("a bucket stands for every time in it within 1%", () => {
    for (let ms = 1; ms < 3_000_000; ms = Math.ceil(ms * 1.013) + (ms % 7)) {
      const v = bucketValue(bucketOf(ms));
      expect(Math.abs(v - ms) / ms, `${ms} ms`).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
    }
    expect(bucketOf(0)).toBe(ZERO_BUCKET);
    expect(bucketValue(ZERO_BUCKET)).toBe(0);
    expect(bucketOf(null)).toBe(NO_TIME_BUCKET);
    expect(bucketOf(2_147_483_647)).toBeLessThan(32_767); // fits the smallint column
  });

  it("percentiles of merged sketches are within 1% of percentile_cont", () => {
    const rnd = lcg(42);
    for (const size of [1, 2, 3, 10, 101, 5000]) {
      const values = Array.from({ length: size }, () =>
        Math.floor(Math.exp(rnd.next().value! * Math.log(50_000_000))),
      );
      // merging: two halves' sketches added cell by cell
      const cells = [...sketchOf(values.slice(0, size >> 1)), ...sketchOf(values.slice(size >> 1))];
      const qs = [0.5, 0.9, 0.99];
      const got = percentilesOf([...cells, { bucket: NO_TIME_BUCKET, n: 7 }], qs);
      qs.forEach((q, i) => {
        const want = percentileCont(values, q);
        expect(
          Math.abs(got[i]! - want),
          `n=${size} q=${q}: ${got[i]} vs ${want}`,
        ).toBeLessThanOrEqual(RELATIVE_ERROR * want + 1e-9);
      });
    }
  });

  it("min and max clamp the estimates; no timed rows: null", () => {
    expect(percentilesOf(sketchOf([100, 100, 100]), [0.5], 100, 100)).toEqual([100]);
    expect(percentilesOf([{ bucket: NO_TIME_BUCKET, n: 3 }], [0.5])).toEqual([null]);
    expect(percentilesOf([], [0.9])).toEqual([null]);
  });
});
