import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/v1/metrics/route";
import { rows, type Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { seedDemo } from "@/db/seed";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;
let key: string;
beforeAll(async () => {
  database = await setupTestDatabase();
  await seedDemo(database.db);
  key = (await createApiKey({ name: "metrics-reader", role: "agent" })).key;
});
afterAll(() => teardownTestDatabase(database));

const get = (query: string, auth: string | null = `Bearer ${key}`) =>
  GET(
    new Request(`http://localhost/api/v1/metrics${query}`, {
      headers: auth ? { authorization: auth } : {},
    }),
  );

describe(`GET /api/v1/metrics (${testDbKind})`, () => {
  test("on the demo data, the JSON equals the seed's own queries", async () => {
    const res = await get("?period=all");
    expect(res.status).toBe(200);
    const body = await res.json();

    const avg = await rows<{ request_type: string; avg_ms: string; total: string }>(
      database.db,
      sql`SELECT request_type, AVG(response_time_ms) as avg_ms, COUNT(*) as total
          FROM hitl_metrics GROUP BY request_type ORDER BY request_type`,
    );
    expect(
      body.by_type.map((t: { request_type: string; avg_ms: number; total: number }) => [
        t.request_type,
        t.avg_ms,
        t.total,
      ]),
    ).toEqual(avg.map((r) => [r.request_type, Number(r.avg_ms), Number(r.total)]));

    const slowest = await rows<{ request_type: string; response_time_ms: number }>(
      database.db,
      sql`SELECT request_type, response_time_ms, created_at FROM hitl_metrics
          ORDER BY response_time_ms DESC LIMIT 10`,
    );
    expect(
      body.slowest.map((s: { request_type: string; response_time_ms: number }) => [
        s.request_type,
        s.response_time_ms,
      ]),
    ).toEqual(slowest.map((s) => [s.request_type, Number(s.response_time_ms)]));
    expect(body.slowest[0].url).toMatch(/\/(approvals|questions)\/[0-9a-f-]{36}$/);

    const agents = await rows<{ agent_id: string; total: string; approved: string }>(
      database.db,
      sql`SELECT agent_id, COUNT(*) as total, SUM(CASE WHEN approved THEN 1 ELSE 0 END) as approved
          FROM approval_requests WHERE approved IS NOT NULL GROUP BY agent_id ORDER BY agent_id`,
    );
    const mine = body.by_agent
      .filter((a: { approvals_decided: number }) => a.approvals_decided > 0)
      .map((a: { agent_id: string; approvals_decided: number; approved: number }) => [
        a.agent_id,
        a.approvals_decided,
        a.approved,
      ])
      .sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!));
    expect(mine).toEqual(agents.map((a) => [a.agent_id, Number(a.total), Number(a.approved)]));

    expect(body.summary).toMatchObject({ decisions: 8, approvals_decided: 5, approved: 3 });
    expect(body.summary.approval_rate).toBeCloseTo(0.6, 9);
    expect(body.summary.pending_now).toBe(8);
    expect(body.summary.oldest_pending.request_type).toMatch(/approval|question/);
    expect(body.period).toMatchObject({ key: "all", from: null, to: null, bucket: "day" });
  });

  test("a type filter and a custom period with no decisions", async () => {
    const q = await (await get("?period=all&type=question")).json();
    expect(q.summary.decisions).toBe(3);
    expect(q.by_type.map((t: { request_type: string }) => t.request_type)).toEqual(["question"]);
    const empty = await (await get("?period=custom&from=2000-01-01&to=2000-01-01")).json();
    expect(empty.summary).toMatchObject({ decisions: 0, avg_ms: null, p90_ms: null });
    expect(empty.over_time).toHaveLength(24);
    expect(empty.period).toMatchObject({ from: "2000-01-01T00:00:00.000Z", bucket: "hour" });
  });

  test("401 without a valid key, in docs/api.md's error shape", async () => {
    for (const auth of ["Bearer nexus_wrong", "Basic abc"]) {
      const res = await get("", auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "unauthorized", message: expect.any(String) },
      });
    }
  });

  test("400 names each bad parameter", async () => {
    const res = await get("?period=1y&type=comments");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "period",
      "type",
    ]);
    const backwards = await get("?period=custom&from=2026-02-01&to=2026-01-01");
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).error.details[0]).toEqual({
      path: "to",
      message: "must be after from",
    });
  });
});
