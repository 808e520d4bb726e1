import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/v1/metrics/route";
import type { Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { getMetrics } from "@/db/queries/metrics";
import { seedDemo } from "@/db/seed";
import { MAX_BUCKETS, parseMetricsFilter } from "@/lib/metrics/period";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * A custom period from year 1 to 9999 once made generate_series produce 3.6 million
 * daily rows (seconds of CPU per request, the event loop blocked on PGlite). Buckets
 * coarsen with the span so any range is at most MAX_BUCKETS points.
 */

let database: Database;
let key: string;
beforeAll(async () => {
  database = await setupTestDatabase();
  await seedDemo(database.db);
  key = (await createApiKey({ name: "range-reader", role: "agent" })).key;
});
afterAll(() => teardownTestDatabase(database));

describe(`extreme metrics ranges (${testDbKind})`, () => {
  test("year 1 to 9999 answers quickly over the API, in at most 400 (century) buckets", async () => {
    // the last day of 9999 ends in year 10000, which PostgreSQL was once handed (500)
    const last = await GET(
      new Request("http://localhost/api/v1/metrics?from=0001-01-01&to=9999-12-31", {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    expect(last.status).toBe(200);
    const started = performance.now();
    const res = await GET(
      new Request("http://localhost/api/v1/metrics?from=0001-01-01&to=9999-12-30", {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    const ms = performance.now() - started;
    console.log(`metrics, year 1 to 9999: ${Math.round(ms)} ms`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.period.bucket).toBe("century");
    expect(body.over_time.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(body.over_time.length).toBeGreaterThan(90);
    const decisions = body.over_time.reduce(
      (n: number, p: { decisions: number }) => n + p.decisions,
      0,
    );
    expect(decisions).toBe(body.summary.decisions);
    expect(ms).toBeLessThan(1500);
  });

  test("every span stays within MAX_BUCKETS points", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    for (const [from, to, bucket] of [
      ["2026-11-30", "2026-11-30", "hour"],
      ["2025-11-01", "2026-11-30", "day"],
      ["2020-01-01", "2026-11-30", "week"],
      ["2000-01-01", "2026-11-30", "month"],
      ["1700-01-01", "2026-11-30", "year"],
      ["0001-01-01", "2026-11-30", "decade"],
    ] as const) {
      const parsed = parseMetricsFilter({ from, to }, now);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.filter.bucket, `${from}..${to}`).toBe(bucket);
      const m = await getMetrics(parsed.filter, now);
      expect(m.overTime.length, `${from}..${to}`).toBeLessThanOrEqual(MAX_BUCKETS);
      expect(m.bucket).toBe(bucket);
    }
  });
});
