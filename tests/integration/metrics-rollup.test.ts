import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { overTime, responseStats, statsByAgent, statsByReviewer } from "@/db/queries/metrics";
import { rebuildMetricsRollup } from "@/db/queries/metrics-rollup";
import { decideRequest } from "@/db/queries/request-store";
import { metricsJson } from "@/lib/metrics/json";
import {
  fromRollup,
  parseMetricsFilter,
  presetFilter,
  type MetricsFilter,
} from "@/lib/metrics/period";
import { RELATIVE_ERROR } from "@/lib/metrics/sketch";
import { getMetrics } from "@/db/queries/metrics";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * The metrics rollup (hitl_metrics_rollup, kept by a trigger on hitl_metrics) against
 * the exact SQL on generated data: every count, sum, minimum and maximum equal, every
 * percentile within the stated relative error; after hand edits, `rebuild` makes it
 * equal again; 20 concurrent decisions all land, spread over several rows.
 */

let database: Database;
const now = new Date();
const DAY = 86_400_000;
const REVIEWERS = ["ana@example.com", "bo@example.com", "key:bot", null];

beforeAll(async () => {
  database = await setupTestDatabase();
  // 4,000 metrics rows over 60 days: half with a decided request (an agent, a verdict),
  // half of deleted requests; times log-uniform from 1 ms to ~3 h, a few 0 ms and NULL.
  // Inserted by one statement per kind of row (the trigger sees batches) …
  await database.db.execute(sql`
    WITH g AS (
      SELECT i, (ARRAY['alpha','beta','gamma','delta'])[1 + i % 4] AS agent,
             (ARRAY['ana@example.com','bo@example.com','key:bot',NULL])[1 + (i / 7) % 4] AS reviewer,
             (now() AT TIME ZONE 'UTC') - (((i * 7919) % 6000) / 100.0) * interval '1 day' AS at,
             CASE WHEN i % 97 = 0 THEN 0 WHEN i % 89 = 0 THEN NULL
                  ELSE floor(exp(((i * 104729) % 10000) / 10000.0 * ln(10000000)))::int END AS ms,
             gen_random_uuid() AS id
        FROM generate_series(1, 2000) i
    ), a AS (
      INSERT INTO approval_requests (id, file_path, diff, agent_id, timestamp, created_at, approved, approved_at, decided_by)
      SELECT id, 'src/x.ts', 'x', agent, at, at, i % 5 <> 0, at, reviewer FROM g WHERE i % 3 <> 0
    ), q AS (
      INSERT INTO question_requests (id, question, agent_id, timestamp, created_at, response, response_at, responded_by)
      SELECT id, 'q?', agent, at, at, 'yes', at, reviewer FROM g WHERE i % 3 = 0
    )
    SELECT 1`);
  await database.db.execute(sql`
    INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
    SELECT CASE WHEN a.id IS NOT NULL THEN 'approval' ELSE 'question' END, r.id,
           CASE WHEN r.n % 97 = 0 THEN 0 WHEN r.n % 89 = 0 THEN NULL
                ELSE floor(exp(((r.n * 104729) % 10000) / 10000.0 * ln(10000000)))::int END,
           r.reviewer, r.at
      FROM (SELECT id, agent_id, coalesce(decided_by, NULL) AS reviewer, approved_at AS at,
                   row_number() OVER (ORDER BY id) AS n FROM approval_requests
            UNION ALL
            SELECT id, agent_id, responded_by, response_at, 10000 + row_number() OVER (ORDER BY id)
              FROM question_requests) r
      LEFT JOIN approval_requests a ON a.id = r.id`);
  await database.db.execute(sql`
    INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
    SELECT CASE WHEN i % 4 = 0 THEN 'question' ELSE 'approval' END, gen_random_uuid(),
           floor(exp(((i * 7877) % 10000) / 10000.0 * ln(10000000)))::int,
           (ARRAY['ana@example.com','bo@example.com','key:bot','dee@example.com'])[1 + i % 4],
           (now() AT TIME ZONE 'UTC') - (((i * 104723) % 6000) / 100.0) * interval '1 day'
      FROM generate_series(1, 1950) i`);
  // … and 50 one at a time, as decisions arrive
  for (let i = 0; i < 50; i++)
    await database.db.execute(
      sql`INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
          VALUES ('approval', ${randomUUID()}, ${1000 + i * 3711}, ${REVIEWERS[i % 3]},
                  (now() AT TIME ZONE 'UTC') - ${i * 0.9} * interval '1 day')`,
    );
}, 120_000);
afterAll(() => teardownTestDatabase(database));

/** The same filter read exactly: the exact path (hour-charted periods) on the same bounds. */
const exact = (f: MetricsFilter): MetricsFilter => ({ ...f, bucket: "hour" });

function custom(from: string, to: string): MetricsFilter {
  const r = parseMetricsFilter({ period: "custom", from, to }, now);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.filter;
}

/** Within the stated relative error (and a hair of floating point). */
function near(label: string, got: number | null, want: number | null) {
  if (want === null) return expect(got, label).toBeNull();
  expect(got, label).not.toBeNull();
  expect(Math.abs(got! - want), `${label}: ${got} vs ${want}`).toBeLessThanOrEqual(
    RELATIVE_ERROR * Math.abs(want) + 1e-9,
  );
}

const sameFloat = (label: string, got: number | null, want: number | null) =>
  want === null ? expect(got, label).toBeNull() : expect(got, label).toBeCloseTo(want, 6);

const filters = (): [string, MetricsFilter][] => [
  ["all", presetFilter("all", null, now)],
  ["all approvals", presetFilter("all", "approval", now)],
  ["30d", presetFilter("30d", null, now)],
  ["7d questions", presetFilter("7d", "question", now)],
  [
    "custom, partial days at both ends",
    custom(
      new Date(now.getTime() - 20.5 * DAY).toISOString(),
      new Date(now.getTime() - 3.25 * DAY).toISOString(),
    ),
  ],
  [
    "custom, whole days",
    custom(
      new Date(now.getTime() - 50 * DAY).toISOString().slice(0, 10),
      new Date(now.getTime() - 10 * DAY).toISOString().slice(0, 10),
    ),
  ],
];

async function expectEqualToExact() {
  for (const [label, f] of filters()) {
    expect(fromRollup(f), label).toBe(true);
    const [a, b] = await Promise.all([responseStats(f), responseStats(exact(f))]);
    expect(
      a.byType.map((t) => t.requestType),
      label,
    ).toEqual(b.byType.map((t) => t.requestType));
    for (const [name, x, y] of [
      ["overall", a.overall, b.overall] as const,
      ...a.byType.map((t, i) => [t.requestType, t, b.byType[i]!] as const),
    ]) {
      const l = `${label} ${name}`;
      expect(x.total, l).toBe(y.total);
      expect([x.minMs, x.maxMs], l).toEqual([y.minMs, y.maxMs]);
      sameFloat(`${l} avg`, x.avgMs, y.avgMs);
      near(`${l} p50`, x.p50Ms, y.p50Ms);
      near(`${l} p90`, x.p90Ms, y.p90Ms);
      near(`${l} p99`, x.p99Ms, y.p99Ms);
    }

    const [ag, agx] = await Promise.all([statsByAgent(f), statsByAgent(exact(f))]);
    expect(ag.verdicts, label).toEqual(agx.verdicts);
    const byAgent = new Map(agx.agents.map((x) => [x.agentId, x]));
    expect(ag.agents.length, label).toBe(agx.agents.length);
    for (const x of ag.agents) {
      const y = byAgent.get(x.agentId)!;
      const l = `${label} agent ${x.agentId}`;
      expect(y, l).toBeDefined();
      expect([x.decisions, x.approvals, x.approved, x.questions], l).toEqual([
        y.decisions,
        y.approvals,
        y.approved,
        y.questions,
      ]);
      sameFloat(`${l} avg`, x.avgMs, y.avgMs);
      near(`${l} p50`, x.p50Ms, y.p50Ms);
      near(`${l} p90`, x.p90Ms, y.p90Ms);
    }

    const [rv, rvx] = await Promise.all([statsByReviewer(f), statsByReviewer(exact(f))]);
    const byUser = new Map(rvx.map((x) => [x.userId, x]));
    expect(rv.length, label).toBe(rvx.length);
    for (const x of rv) {
      const y = byUser.get(x.userId)!;
      const l = `${label} reviewer ${x.userId}`;
      expect(x.decisions, l).toBe(y.decisions);
      sameFloat(`${l} avg`, x.avgMs, y.avgMs);
      near(`${l} median`, x.medianMs, y.medianMs);
    }

    // the chart, per day, against SQL written here
    const points = await overTime(f, now);
    const truth = await rows<{ day: string; n: number; avg: number | null; p90: number | null }>(
      database.db,
      sql`SELECT to_char(date_trunc('day', created_at), 'YYYY-MM-DD') AS day, count(*)::int AS n,
                 avg(response_time_ms)::float8 AS avg,
                 percentile_cont(0.9) WITHIN GROUP (ORDER BY response_time_ms) AS p90
            FROM hitl_metrics
           WHERE ${f.from ? sql`created_at >= ${f.from.toISOString()}::timestamp` : sql`TRUE`}
             AND ${f.to ? sql`created_at < ${f.to.toISOString()}::timestamp` : sql`TRUE`}
             AND ${f.type ? sql`request_type = ${f.type}` : sql`TRUE`}
           GROUP BY 1`,
    );
    const byDay = new Map(truth.map((t) => [t.day, t]));
    expect(f.bucket, label).toBe("day");
    expect(
      points.reduce((n, p) => n + p.decisions, 0),
      label,
    ).toBe(truth.reduce((n, t) => n + Number(t.n), 0));
    for (const p of points) {
      const t = byDay.get(p.start.toISOString().slice(0, 10));
      const l = `${label} day ${p.start.toISOString().slice(0, 10)}`;
      expect(p.decisions, l).toBe(t ? Number(t.n) : 0);
      sameFloat(`${l} avg`, p.avgMs, t?.avg ?? null);
      near(`${l} p90`, p.p90Ms, t?.p90 ?? null);
    }
  }
}

describe(`metrics rollup (${testDbKind})`, () => {
  test("every figure equals the exact SQL (percentiles within 1%) on generated data", async () => {
    const [n] = await rows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM hitl_metrics`,
    );
    expect(n!.n).toBe(4000);
    await expectEqualToExact();
  }, 120_000);

  test("the API names the approximate figures; a short period has none", async () => {
    const long = presetFilter("30d", null, now);
    const json = metricsJson(long, await getMetrics(long, now), "http://x");
    expect(json.approximate).toMatchObject({ source: "rollup", relative_error: RELATIVE_ERROR });
    expect(json.approximate.fields).toContain("summary.p90_ms");
    expect(json.approximate.fields).toContain("by_reviewer[].median_ms");
    const short = presetFilter("24h", null, now);
    const s = metricsJson(short, await getMetrics(short, now), "http://x");
    expect(s.approximate).toEqual({ source: "hitl_metrics", fields: [], relative_error: 0 });
  });

  test("rows deleted by hand leave it stale until `rebuild`, which makes it equal again", async () => {
    await database.db.execute(
      sql`DELETE FROM hitl_metrics WHERE id IN (SELECT id FROM hitl_metrics ORDER BY id DESC LIMIT 300)`,
    );
    const all = presetFilter("all", null, now);
    const [stale, truth] = await Promise.all([responseStats(all), responseStats(exact(all))]);
    expect(stale.overall.total).toBe(truth.overall.total + 300);
    const r = await rebuildMetricsRollup();
    expect(r.metrics).toBe(3700);
    expect(r.rollupRows).toBeGreaterThan(0);
    await expectEqualToExact();
    // twice is the same as once
    const again = await rebuildMetricsRollup();
    expect(again).toEqual(r);
  }, 120_000);

  test("20 concurrent decisions: all counted, spread over several rollup rows", async () => {
    const ids = Array.from({ length: 20 }, () => randomUUID());
    for (const id of ids)
      await database.db.execute(
        sql`INSERT INTO approval_requests (id, file_path, diff, agent_id, timestamp, created_at)
            VALUES (${id}, 'src/c.ts', 'x', 'concurrent', (now() AT TIME ZONE 'UTC') - interval '5 seconds',
                    (now() AT TIME ZONE 'UTC') - interval '5 seconds')`,
      );
    const before = await responseStats(presetFilter("all", null, now));
    const results = await Promise.all(
      ids.map((id, i) =>
        decideRequest("approval", {
          id,
          decision: { approved: i % 2 === 0, comment: null },
          decidedBy: "ana@example.com",
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const after = await responseStats(presetFilter("all", null, now));
    expect(after.overall.total).toBe(before.overall.total + 20);
    const agents = await statsByAgent(presetFilter("all", null, now));
    expect(agents.agents.find((a) => a.agentId === "concurrent")).toMatchObject({
      decisions: 20,
      approvals: 20,
      approved: 10,
    });
    const [shards] = await rows<{ n: number }>(
      database.db,
      sql`SELECT count(DISTINCT shard)::int AS n FROM hitl_metrics_rollup
           WHERE dim = 'agent' AND key = 'concurrent'`,
    );
    // each pooled connection writes its own rows: on a server pool the 20 decisions do
    // not queue on one row (the embedded database has one connection)
    if (testDbKind === "server") expect(shards!.n).toBeGreaterThan(1);
    else expect(shards!.n).toBe(1);
    await expectEqualToExact();
  }, 120_000);
});
