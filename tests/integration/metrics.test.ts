import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { getMetrics, queueStatus, responseStats } from "@/db/queries/metrics";
import { approvalRequests, hitlMetrics, questionRequests } from "@/db/schema";
import {
  parseMetricsFilter,
  presetFilter,
  type MetricsFilter,
  type MetricsRequestType,
} from "@/lib/metrics/period";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);

function custom(from: string, to: string, type?: MetricsRequestType): MetricsFilter {
  const r = parseMetricsFilter({ period: "custom", from, to, type }, now);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.filter;
}

/** The period as the seed's queries would be restricted to it, written independently. */
function seedPeriod(f: MetricsFilter): SQL {
  const lit = (d: Date) => sql.raw(`'${d.toISOString().replace("T", " ").replace("Z", "")}'`);
  return sql.join(
    [
      sql`TRUE`,
      f.from ? sql`created_at >= ${lit(f.from)}` : sql`TRUE`,
      f.to ? sql`created_at < ${lit(f.to)}` : sql`TRUE`,
      f.type ? sql.raw(`request_type = '${f.type}'`) : sql`TRUE`,
    ],
    sql` AND `,
  );
}

/** percentile_cont's definition: linear interpolation at rank p·(n−1) of the sorted values. */
function percentileCont(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

async function addMetric(
  type: MetricsRequestType,
  id: string,
  ms: number | null,
  at: Date,
  user: string | null,
) {
  await database.db.insert(hitlMetrics).values({
    requestType: type,
    requestId: id,
    responseTimeMs: ms,
    userId: user,
    createdAt: at,
  });
}

async function decidedApproval(
  agent: string,
  approved: boolean,
  ms: number,
  at: Date,
  user: string,
) {
  const id = randomUUID();
  const asked = new Date(at.getTime() - ms);
  await database.db.insert(approvalRequests).values({
    id,
    filePath: `src/${agent}.ts`,
    diff: "-a\n+b\n",
    agentId: agent,
    timestamp: asked,
    createdAt: asked,
    approved,
    approvedAt: at,
    decidedBy: user,
  });
  await addMetric("approval", id, ms, at, user);
  return id;
}

async function answeredQuestion(agent: string, ms: number, at: Date, user: string) {
  const id = randomUUID();
  const asked = new Date(at.getTime() - ms);
  await database.db.insert(questionRequests).values({
    id,
    question: `question from ${agent}?`,
    agentId: agent,
    timestamp: asked,
    createdAt: asked,
    response: "yes",
    responseAt: at,
    respondedBy: user,
  });
  await addMetric("question", id, ms, at, user);
  return id;
}

describe(`metrics queries (${testDbKind})`, () => {
  // first, while the database is still empty
  test("an empty database gives zero decisions, null times, no rows and no oldest pending", async () => {
    const m = await getMetrics(presetFilter("all", null, now), now);
    expect(m.anyMetrics).toBe(false);
    expect(m.summary).toMatchObject({
      total: 0,
      avgMs: null,
      p50Ms: null,
      p90Ms: null,
      p99Ms: null,
      approvalRate: null,
      pendingNow: 0,
      oldestPending: null,
    });
    expect(m.byType).toEqual([]);
    expect(m.slowest).toEqual([]);
    expect(m.byAgent).toEqual([]);
    expect(m.byReviewer).toEqual([]);
    expect(m.overTime).toEqual([]);
    const week = await getMetrics(presetFilter("7d", null, now), now);
    expect(week.overTime.length).toBeGreaterThanOrEqual(7);
    expect(week.overTime.every((p) => p.decisions === 0 && p.avgMs === null)).toBe(true);
  });
});

describe(`metrics queries on data (${testDbKind})`, () => {
  beforeAll(async () => {
    // A spread of decisions over 60 days: three agents, three reviewers, both types.
    const agents = ["alpha-agent", "beta-agent", "gamma-agent"];
    const users = ["ana@example.com", "bo@example.com", "key:ci-bot"];
    let k = 0;
    for (const ageH of [0.5, 2, 5, 20, 30, 50, 100, 150, 200, 300, 500, 700, 900, 1200, 1400]) {
      for (let j = 0; j < 3; j++) {
        k++;
        const ms = 1000 * ((k * 37) % 900) + k; // distinct values
        const at = ago(ageH * HOUR + j * 60_000);
        if (k % 4 === 0) await answeredQuestion(agents[j]!, ms, at, users[(k + j) % 3]!);
        else await decidedApproval(agents[(k + j) % 3]!, k % 3 !== 0, ms, at, users[j]!);
      }
    }
    // a decision whose request was pruned, and one with no response time or reviewer
    await addMetric("approval", randomUUID(), 5_000_000, ago(3 * HOUR), "ana@example.com");
    await addMetric("question", randomUUID(), null, ago(4 * HOUR), null);
  });

  const periods: [string, () => MetricsFilter][] = [
    ["24h", () => presetFilter("24h", null, now)],
    ["7d", () => presetFilter("7d", null, now)],
    ["30d", () => presetFilter("30d", null, now)],
    ["all", () => presetFilter("all", null, now)],
    ["7d, approvals only", () => presetFilter("7d", "approval", now)],
    ["30d, questions only", () => presetFilter("30d", "question", now)],
    [
      "custom 10-40 days ago",
      () =>
        custom(
          ago(40 * DAY)
            .toISOString()
            .slice(0, 10),
          ago(10 * DAY)
            .toISOString()
            .slice(0, 10),
        ),
    ],
  ];

  describe.each(periods)("period %s equals the seed's own SQL", (_name, filter) => {
    test("average response time by request type (with counts)", async () => {
      const f = filter();
      const seed = await rows<{
        request_type: string;
        avg_ms: string | number;
        total: string | number;
      }>(
        database.db,
        sql`SELECT request_type, AVG(response_time_ms) as avg_ms, COUNT(*) as total
            FROM hitl_metrics WHERE ${seedPeriod(f)} GROUP BY request_type ORDER BY request_type`,
      );
      const { byType, overall } = await responseStats(f);
      expect(seed.length).toBeGreaterThan(0);
      expect(byType.map((t) => t.requestType)).toEqual(seed.map((s) => s.request_type));
      byType.forEach((t, i) => {
        expect(t.total).toBe(Number(seed[i]!.total));
        expect(t.avgMs).toBeCloseTo(Number(seed[i]!.avg_ms), 6);
      });
      expect(overall.total).toBe(seed.reduce((n, s) => n + Number(s.total), 0));
    });

    test("the ten slowest responses", async () => {
      const f = filter();
      const seed = await rows<{
        request_type: string;
        response_time_ms: number;
        created_at: string | Date;
      }>(
        database.db,
        sql`SELECT request_type, response_time_ms, created_at FROM hitl_metrics
            WHERE ${seedPeriod(f)} AND response_time_ms IS NOT NULL
            ORDER BY response_time_ms DESC LIMIT 10`,
      );
      const m = await getMetrics(f, now);
      expect(m.slowest.map((s) => [s.requestType, s.responseTimeMs])).toEqual(
        seed.map((s) => [s.request_type, Number(s.response_time_ms)]),
      );
      const [timed] = await rows<{ n: number }>(
        database.db,
        sql`SELECT count(response_time_ms)::int AS n FROM hitl_metrics WHERE ${seedPeriod(f)}`,
      );
      expect(m.slowest.length).toBe(Math.min(10, Number(timed!.n)));
    });

    test("stats by agent (total, approved) on the period's decided approvals", async () => {
      const f = filter();
      const seed = await rows<{
        agent_id: string;
        total: string | number;
        approved: string | number;
      }>(
        database.db,
        sql`SELECT agent_id, COUNT(*) as total, SUM(CASE WHEN approved THEN 1 ELSE 0 END) as approved
            FROM approval_requests
            WHERE id IN (SELECT request_id FROM hitl_metrics WHERE request_type = 'approval' AND ${seedPeriod(f)})
            GROUP BY agent_id ORDER BY agent_id`,
      );
      const m = await getMetrics(f, now);
      const mine = m.byAgent
        .filter((a) => a.agentId !== null && a.approvals > 0)
        .sort((a, b) => a.agentId!.localeCompare(b.agentId!))
        .map((a) => ({ agent_id: a.agentId, total: a.approvals, approved: a.approved }));
      expect(mine).toEqual(
        seed.map((s) => ({
          agent_id: s.agent_id,
          total: Number(s.total),
          approved: Number(s.approved),
        })),
      );
      const approvals = mine.reduce((n, a) => n + a.total, 0);
      const approved = mine.reduce((n, a) => n + a.approved, 0);
      expect(m.summary.approvalsDecided).toBe(approvals);
      expect(m.summary.approvalRate).toBe(approvals ? approved / approvals : null);
      expect(m.byAgent.reduce((n, a) => n + a.decisions, 0)).toBe(m.summary.total);
    });

    test("by reviewer and over time add up to the headline count", async () => {
      const f = filter();
      const m = await getMetrics(f, now);
      expect(m.byReviewer.reduce((n, r) => n + r.decisions, 0)).toBe(m.summary.total);
      expect(m.overTime.reduce((n, p) => n + p.decisions, 0)).toBe(m.summary.total);
      const starts = m.overTime.map((p) => p.start.getTime());
      const step = f.bucket === "hour" ? HOUR : DAY;
      starts.slice(1).forEach((s, i) => expect(s - starts[i]!).toBe(step));
    });
  });

  test("the seed's stats by agent, unrestricted, equals the all-time figures for decided approvals", async () => {
    const seed = await rows<{
      agent_id: string;
      total: string | number;
      approved: string | number;
    }>(
      database.db,
      sql`SELECT agent_id, COUNT(*) as total, SUM(CASE WHEN approved THEN 1 ELSE 0 END) as approved
          FROM approval_requests WHERE approved IS NOT NULL GROUP BY agent_id ORDER BY agent_id`,
    );
    const m = await getMetrics(presetFilter("all", "approval", now), now);
    const known = m.byAgent
      .filter((a) => a.agentId !== null)
      .sort((a, b) => a.agentId!.localeCompare(b.agentId!));
    expect(known.map((a) => [a.agentId, a.approvals, a.approved])).toEqual(
      seed.map((s) => [s.agent_id, Number(s.total), Number(s.approved)]),
    );
    // the pruned approval's decision is counted, under an unknown agent
    expect(m.byAgent.find((a) => a.agentId === null)).toMatchObject({ decisions: 1, approvals: 0 });
  });

  test("percentiles on 1..100 ms match percentile_cont's definition", async () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    for (const v of values)
      await addMetric(
        "approval",
        randomUUID(),
        v,
        new Date(`2001-03-04T${String(v % 24).padStart(2, "0")}:00:00Z`),
        `u${v % 3}`,
      );
    const f = custom("2001-03-04", "2001-03-04");
    const { overall } = await responseStats(f);
    expect(overall).toMatchObject({ total: 100, minMs: 1, maxMs: 100 });
    expect(overall.avgMs).toBeCloseTo(50.5, 9);
    expect(overall.p50Ms).toBeCloseTo(percentileCont(values, 0.5), 9); // 50.5
    expect(overall.p90Ms).toBeCloseTo(percentileCont(values, 0.9), 9); // 90.1
    expect(overall.p99Ms).toBeCloseTo(percentileCont(values, 0.99), 9); // 99.01
    expect([overall.p50Ms, overall.p90Ms, overall.p99Ms]).toEqual(
      [50.5, 90.1, 99.01].map((x) => expect.closeTo(x, 9)),
    );
    const m = await getMetrics(f, now);
    expect(m.overTime).toHaveLength(24); // a one-day custom period is charted per hour
    const reviewers = Object.fromEntries(m.byReviewer.map((r) => [r.userId, r.medianMs]));
    const third = (r: number) => values.filter((v) => v % 3 === r);
    expect(reviewers.u0).toBeCloseTo(percentileCont(third(0), 0.5), 9);
    expect(reviewers.u1).toBeCloseTo(percentileCont(third(1), 0.5), 9);
  });

  test("four values: p90 of 10, 20, 30, 40 ms interpolates to 37 ms", async () => {
    for (const v of [40, 10, 30, 20])
      await addMetric("question", randomUUID(), v, new Date("2002-01-01T12:00:00Z"), null);
    const { overall } = await responseStats(custom("2002-01-01", "2002-01-01"));
    expect(overall.p50Ms).toBeCloseTo(25, 9);
    expect(overall.p90Ms).toBeCloseTo(37, 9);
  });

  test("a period with no decisions: zeros and empty lists, but data exists elsewhere", async () => {
    const f = custom("1990-01-01", "1990-01-31");
    const m = await getMetrics(f, now);
    expect(m.anyMetrics).toBe(true);
    expect(m.summary).toMatchObject({
      total: 0,
      avgMs: null,
      p90Ms: null,
      approvalsDecided: 0,
      approvalRate: null,
    });
    expect(m.byType).toEqual([]);
    expect(m.slowest).toEqual([]);
    expect(m.byAgent).toEqual([]);
    expect(m.byReviewer).toEqual([]);
    expect(m.overTime).toHaveLength(31);
    expect(m.overTime.every((p) => p.decisions === 0)).toBe(true);
  });

  test("pending now and the oldest pending request ignore the period and expired requests", async () => {
    await database.db.insert(approvalRequests).values([
      {
        id: randomUUID(),
        filePath: "a",
        diff: "x",
        agentId: "alpha-agent",
        timestamp: ago(2 * HOUR),
      },
      {
        id: randomUUID(),
        filePath: "b",
        diff: "x",
        agentId: "alpha-agent",
        timestamp: ago(9 * DAY),
        expiresAt: ago(8 * DAY),
      },
    ]);
    const qid = randomUUID();
    await database.db
      .insert(questionRequests)
      .values({ id: qid, question: "?", agentId: "beta-agent", timestamp: ago(5 * HOUR) });
    const all = await queueStatus(custom("1990-01-01", "1990-01-02"));
    expect(all.pendingNow).toBe(2);
    expect(all.oldestPending).toMatchObject({
      requestType: "question",
      requestId: qid,
      agentId: "beta-agent",
    });
    expect(all.oldestPending!.ageMs).toBeGreaterThan(5 * HOUR - 60_000);
    expect(all.oldestPending!.ageMs).toBeLessThan(5 * HOUR + 60_000);
    const approvals = await queueStatus(presetFilter("24h", "approval", now));
    expect(approvals.pendingNow).toBe(1);
    expect(approvals.oldestPending).toMatchObject({
      requestType: "approval",
      agentId: "alpha-agent",
    });
  });

  test("slowest rows carry what a link needs; a pruned request has no agent or title", async () => {
    const m = await getMetrics(presetFilter("24h", null, now), now);
    const top = m.slowest[0]!;
    expect(top).toMatchObject({
      responseTimeMs: 5_000_000,
      requestType: "approval",
      agentId: null,
      title: null,
    });
    const known = m.slowest.find((s) => s.agentId !== null)!;
    expect(known.title).toMatch(/^(src\/.*\.ts|question from .*\?)$/);
    expect(known.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
