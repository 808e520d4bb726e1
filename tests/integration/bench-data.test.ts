import { sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { getDatabase, rows, type Database } from "@/db/client";
import { freshTestConfig, teardownTestDatabase, testDbKind } from "../helpers/db";
import { runScript } from "../helpers/run";

let database: Database | undefined;
afterAll(() => teardownTestDatabase(database));

describe(`npm run bench:data (${testDbKind})`, () => {
  const config = freshTestConfig();

  test("generates requests and metrics rows, then refuses to run again without --force", async () => {
    const args = ["--requests", "1000", "--metrics", "5000"];
    const first = await runScript("bench/data.ts", args, process.env, 120_000);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("1,000 requests and 5,000 metrics rows");
    expect(first.stdout).toMatch(/metrics of pruned requests: 4,100 \/ 4,100/);

    const again = await runScript("bench/data.ts", args, process.env, 120_000);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds 6,000 rows.*--force/);

    database = await getDatabase();
    expect(database.config.label).toBe(config.label);
    const [c] = await rows<Record<string, number>>(
      database.db,
      sql`SELECT
        (SELECT count(*)::int FROM approval_requests) AS approvals,
        (SELECT count(*)::int FROM question_requests) AS questions,
        (SELECT count(*)::int FROM approval_requests WHERE approved IS NOT NULL) +
          (SELECT count(*)::int FROM question_requests WHERE response IS NOT NULL) AS decided,
        (SELECT count(*)::int FROM hitl_metrics) AS metrics,
        (SELECT count(*)::int FROM hitl_metrics m WHERE EXISTS
          (SELECT 1 FROM approval_requests a WHERE a.id = m.request_id)
          OR EXISTS (SELECT 1 FROM question_requests q WHERE q.id = m.request_id)) AS linked,
        (SELECT count(DISTINCT agent_id)::int FROM approval_requests) AS agents,
        (SELECT count(DISTINCT user_id)::int FROM hitl_metrics) AS reviewers,
        (SELECT count(*)::int FROM hitl_metrics
          WHERE created_at < (now() AT TIME ZONE 'UTC') - interval '90 days 1 minute'
             OR created_at > (now() AT TIME ZONE 'UTC') + interval '1 minute'
             OR response_time_ms IS NULL OR response_time_ms < 0) AS out_of_range`,
    );
    expect(c).toEqual({
      approvals: 700,
      questions: 300,
      decided: 900,
      metrics: 5000,
      linked: 900,
      agents: 8,
      reviewers: 6,
      out_of_range: 0,
    });
  }, 240_000);

  test("bad arguments are one-line usage errors", async () => {
    const r = await runScript("bench/data.ts", ["--requests", "lots"], process.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('nexus: --requests must be a whole number, got "lots"');
  }, 60_000);
});
