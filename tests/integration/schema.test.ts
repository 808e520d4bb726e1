import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;

beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});

type Column = {
  column_name: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  character_maximum_length: number | null;
};

async function columns(table: string) {
  const result = await rows<Column>(
    database.db,
    sql`SELECT column_name, data_type, is_nullable, column_default, character_maximum_length
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}
        ORDER BY ordinal_position`,
  );
  return Object.fromEntries(result.map((c) => [c.column_name, c]));
}

// The seed document's columns: [name, information_schema data_type, nullable, default now()]
const seed: Record<string, [string, string, boolean, boolean][]> = {
  approval_requests: [
    ["id", "uuid", false, false],
    ["file_path", "text", false, false],
    ["diff", "text", false, false],
    ["description", "text", true, false],
    ["agent_id", "text", false, false],
    ["timestamp", "timestamp without time zone", true, true],
    ["approved", "boolean", true, false],
    ["approved_at", "timestamp without time zone", true, false],
    ["created_at", "timestamp without time zone", true, true],
  ],
  question_requests: [
    ["id", "uuid", false, false],
    ["question", "text", false, false],
    ["context", "jsonb", true, false],
    ["agent_id", "text", false, false],
    ["timestamp", "timestamp without time zone", true, true],
    ["response", "text", true, false],
    ["response_at", "timestamp without time zone", true, false],
    ["created_at", "timestamp without time zone", true, true],
  ],
  hitl_metrics: [
    ["id", "integer", false, false],
    ["request_type", "character varying", false, false],
    ["request_id", "uuid", false, false],
    ["response_time_ms", "integer", true, false],
    ["user_id", "text", true, false],
    ["created_at", "timestamp without time zone", true, true],
  ],
};

describe(`schema mirrors the seed document (${testDbKind})`, () => {
  for (const [table, cols] of Object.entries(seed)) {
    test(`${table} has every seed column with its type, nullability and default`, async () => {
      const actual = await columns(table);
      for (const [name, type, nullable, defaultNow] of cols) {
        const c = actual[name];
        expect(c, `${table}.${name} exists`).toBeDefined();
        expect(c!.data_type, `${table}.${name} type`).toBe(type);
        expect(c!.is_nullable, `${table}.${name} nullability`).toBe(nullable ? "YES" : "NO");
        if (defaultNow) expect(c!.column_default?.toLowerCase()).toMatch(/now\(\)/);
      }
      // every column beyond the seed's is an addition that may be left out of an INSERT
      for (const [name, c] of Object.entries(actual)) {
        if (cols.some(([n]) => n === name)) continue;
        expect(
          c.is_nullable === "YES" || c.column_default !== null,
          `${table}.${name} is optional`,
        ).toBe(true);
      }
    });
  }

  test("hitl_metrics.request_type is VARCHAR(50) and id is a SERIAL", async () => {
    const c = await columns("hitl_metrics");
    expect(c.request_type!.character_maximum_length).toBe(50);
    expect(c.id!.column_default).toMatch(/nextval\('hitl_metrics_id_seq'/);
  });

  test("the seed's four indexes exist with their names and columns, and metrics rows are unique per request", async () => {
    const idx = await rows<{ indexname: string; indexdef: string }>(
      database.db,
      sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const byName = Object.fromEntries(idx.map((i) => [i.indexname, i.indexdef]));
    expect(byName.idx_approval_requests_agent_id).toMatch(
      /ON public\.approval_requests USING btree \(agent_id\)$/,
    );
    expect(byName.idx_approval_requests_timestamp).toMatch(
      /ON public\.approval_requests USING btree \("timestamp"\)$/,
    );
    expect(byName.idx_question_requests_agent_id).toMatch(
      /ON public\.question_requests USING btree \(agent_id\)$/,
    );
    expect(byName.idx_question_requests_timestamp).toMatch(
      /ON public\.question_requests USING btree \("timestamp"\)$/,
    );
    expect(byName.hitl_metrics_request_unique).toMatch(
      /UNIQUE INDEX .* \(request_type, request_id\)/,
    );
  });

  test("primary keys are the seed's", async () => {
    const pk = await rows<{ table_name: string; column_name: string }>(
      database.db,
      sql`SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
          JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
          WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
            AND tc.table_name IN ('approval_requests', 'question_requests', 'hitl_metrics')
          ORDER BY tc.table_name`,
    );
    expect(pk).toEqual([
      { table_name: "approval_requests", column_name: "id" },
      { table_name: "hitl_metrics", column_name: "id" },
      { table_name: "question_requests", column_name: "id" },
    ]);
  });

  test("a second metrics row for the same request is refused", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    await database.db.execute(
      sql`INSERT INTO hitl_metrics (request_type, request_id, response_time_ms) VALUES ('approval', ${id}, 5)`,
    );
    await expect(
      database.db.execute(
        sql`INSERT INTO hitl_metrics (request_type, request_id, response_time_ms) VALUES ('approval', ${id}, 6)`,
      ),
    ).rejects.toThrow();
    await database.db.execute(sql`DELETE FROM hitl_metrics WHERE request_id = ${id}`);
  });

  test("rows inserted the seed's way (no additions named) get NOW() defaults in UTC", async () => {
    const id = "00000000-0000-4000-8000-0000000000aa";
    await database.db.execute(
      sql`INSERT INTO approval_requests (id, file_path, diff, agent_id) VALUES (${id}, 'a.txt', '--- a\n+++ b\n', 'probe')`,
    );
    const [r] = await rows<{ skew: number }>(
      database.db,
      sql`SELECT abs(extract(epoch FROM (timestamp - (now() AT TIME ZONE 'UTC'))))::float AS skew FROM approval_requests WHERE id = ${id}`,
    );
    expect(r!.skew).toBeLessThan(5);
    await database.db.execute(sql`DELETE FROM approval_requests WHERE id = ${id}`);
  });
});

describe(`the seed document's example queries run unchanged (${testDbKind})`, () => {
  beforeAll(async () => {
    await seedDemo(database.db, new Date("2026-06-01T12:00:00Z"));
  });

  const q = (text: string) => rows<Record<string, unknown>>(database.db, sql.raw(text));

  test("approvals: approved, pending and stats by agent", async () => {
    const approved = await q(
      "SELECT * FROM approval_requests WHERE approved = true ORDER BY approved_at DESC;",
    );
    const decided = await q(
      "SELECT count(*)::int AS n FROM approval_requests WHERE approved IS NOT NULL",
    );
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((r) => r.approved === true)).toBe(true);
    const times = approved.map((r) => String(r.approved_at));
    expect([...times].sort().reverse()).toEqual(times);

    const pending = await q(
      "SELECT * FROM approval_requests WHERE approved IS NULL ORDER BY timestamp DESC;",
    );
    expect(pending.length).toBe(5);
    expect(pending.length + Number(decided[0]!.n)).toBe(10);

    const stats =
      await q(`SELECT agent_id, COUNT(*) as total, SUM(CASE WHEN approved THEN 1 ELSE 0 END) as approved
FROM approval_requests
GROUP BY agent_id;`);
    const byAgent = Object.fromEntries(
      stats.map((s) => [s.agent_id, [Number(s.total), Number(s.approved)]]),
    );
    expect(byAgent).toEqual({
      "self-improving-agent": [4, 2],
      "refactor-bot": [4, 0],
      "architect-agent": [2, 1],
    });
  });

  test("questions: answered, unanswered and by agent", async () => {
    const answered = await q(
      "SELECT * FROM question_requests WHERE response IS NOT NULL ORDER BY response_at DESC;",
    );
    expect(answered).toHaveLength(3);
    const open = await q(
      "SELECT * FROM question_requests WHERE response IS NULL ORDER BY timestamp DESC;",
    );
    expect(open).toHaveLength(3);
    const byQuestion = await q(`SELECT question, COUNT(*) FROM question_requests
WHERE agent_id = 'architect-agent'
GROUP BY question;`);
    expect(byQuestion).toHaveLength(1);
    expect(Number(byQuestion[0]!.count)).toBe(2);
    expect(typeof answered[0]!.context).toBe("object");
  });

  test("metrics: average response time and slowest responses", async () => {
    const avg = await q(`SELECT request_type, AVG(response_time_ms) as avg_ms, COUNT(*) as total
FROM hitl_metrics
GROUP BY request_type;`);
    const byType = Object.fromEntries(
      avg.map((a) => [a.request_type, [Number(a.avg_ms), Number(a.total)]]),
    );
    // demo approvals waited (2+5i) min + 13i s for i = 0..4; questions (4+9i) min for i = 0..2
    const approvalMs = [0, 1, 2, 3, 4].map((i) => (2 + i * 5) * 60_000 + i * 13_000);
    const questionMs = [0, 1, 2].map((i) => (4 + i * 9) * 60_000);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(byType.approval![0]).toBeCloseTo(mean(approvalMs), 3);
    expect(byType.approval![1]).toBe(5);
    expect(byType.question![0]).toBeCloseTo(mean(questionMs), 3);
    expect(byType.question![1]).toBe(3);

    const slowest = await q(`SELECT request_type, response_time_ms, created_at
FROM hitl_metrics
ORDER BY response_time_ms DESC
LIMIT 10;`);
    expect(slowest.map((s) => s.response_time_ms)).toEqual(
      [...approvalMs, ...questionMs].sort((a, b) => b - a),
    );
  });

  test("exports: COPY-style CSV columns and json_agg", async () => {
    const json = await q("SELECT json_agg(row_to_json(t)) FROM approval_requests t;");
    const agg = json[0]!.json_agg as Record<string, unknown>[];
    expect(agg).toHaveLength(10);
    expect(Object.keys(agg[0]!).slice(0, 9)).toEqual([
      "id",
      "file_path",
      "diff",
      "description",
      "agent_id",
      "timestamp",
      "approved",
      "approved_at",
      "created_at",
    ]);
  });

  test("monitoring queries: table sizes", async () => {
    const sizes = await q(`SELECT
  schemaname,
  tablename,
  pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) AS size
FROM pg_tables
WHERE schemaname = 'public'
ORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC;`);
    expect(sizes.map((s) => s.tablename)).toEqual(
      expect.arrayContaining(["approval_requests", "question_requests", "hitl_metrics"]),
    );
  });
});
