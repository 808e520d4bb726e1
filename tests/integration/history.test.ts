import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { exportColumns, exportHistory, listHistory } from "@/db/queries/history";
import { approvalRequests, questionRequests } from "@/db/schema";
import { JSON_ARRAY_CLOSE, JSON_ARRAY_OPEN, csvRow, jsonArrayChunk } from "@/lib/export/format";
import type { HistoryFilter, HistoryQuery, HistoryType } from "@/lib/history/params";
import { parseCsv } from "../helpers/csv";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;
const MIN = 60_000;
const base = Date.UTC(2026, 0, 10, 12, 0, 0);
const approvals: { id: string; at: number; outcome: string; agent: string; path: string }[] = [];
const questions: { id: string; at: number; outcome: string; agent: string }[] = [];

beforeAll(async () => {
  database = await setupTestDatabase();
  const db = database.db;
  // 37 approvals decided over 3 days, a few expired, a few pending; awkward text on purpose
  for (let i = 0; i < 37; i++) {
    const id = randomUUID();
    const asked = new Date(base + i * 97 * MIN);
    const kind = i % 5 === 4 ? "expired" : i % 3 === 0 ? "rejected" : "approved";
    const decided = new Date(asked.getTime() + (i + 1) * 1000 + 123);
    const path = i === 7 ? "src/100%_done.ts" : i === 8 ? "src/100x_done.ts" : `src/file_${i}.ts`;
    await db.insert(approvalRequests).values({
      id,
      filePath: path,
      diff: i === 3 ? 'line "quoted", with comma\r\nand CRLF\n' : "--- a\n+++ b\n",
      description: i % 4 === 0 ? null : i === 5 ? "" : `Change ${i}: tidy up`,
      agentId: i % 2 ? "agent-odd" : "agent-even",
      timestamp: asked,
      createdAt: asked,
      approved: kind === "expired" ? null : kind === "approved",
      approvedAt: kind === "expired" ? null : decided,
      comment: kind === "rejected" ? "needs tests" : null,
      decidedBy: kind === "expired" ? null : "ana@example.com",
      expiresAt: kind === "expired" ? decided : null,
    });
    approvals.push({
      id,
      at: decided.getTime(),
      outcome: kind,
      agent: i % 2 ? "agent-odd" : "agent-even",
      path,
    });
  }
  // pending ones never appear
  await db.insert(approvalRequests).values({
    id: randomUUID(),
    filePath: "src/pending.ts",
    diff: "x",
    agentId: "agent-odd",
    expiresAt: new Date(Date.now() + 3600_000),
  });
  for (let i = 0; i < 12; i++) {
    const id = randomUUID();
    const asked = new Date(base + i * 131 * MIN);
    const kind = i % 4 === 3 ? "expired" : "answered";
    const decided = new Date(asked.getTime() + 5 * MIN);
    await db.insert(questionRequests).values({
      id,
      question: i === 2 ? "Use 50% of the budget_for_tests?" : `Question ${i}?`,
      context: { i, nested: { s: 'a "b"' } },
      agentId: "agent-q",
      timestamp: asked,
      createdAt: asked,
      response: kind === "answered" ? `Answer ${i}` : null,
      responseAt: kind === "answered" ? decided : null,
      respondedBy: kind === "answered" ? "bo@example.com" : null,
      expiresAt: kind === "expired" ? decided : null,
    });
    questions.push({ id, at: decided.getTime(), outcome: kind, agent: "agent-q" });
  }
});
afterAll(() => teardownTestDatabase(database));

async function allPages(query: HistoryQuery, size: number) {
  const seen: string[] = [];
  let page = await listHistory(query, size);
  for (;;) {
    seen.push(...page.items.map((i) => `${i.type}:${i.id}`));
    if (!page.older) break;
    page = await listHistory({ ...query, cursor: page.older }, size);
  }
  return { seen, last: page };
}

describe(`history (${testDbKind})`, () => {
  test("lists decided and expired requests newest first, never pending ones", async () => {
    const page = await listHistory({}, 200);
    expect(page.items).toHaveLength(37 + 12);
    const times = page.items.map((i) => i.decidedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.items.some((i) => i.title === "src/pending.ts")).toBe(false);
    const rejected = page.items.find((i) => i.outcome === "rejected")!;
    expect(rejected).toMatchObject({ decidedBy: "ana@example.com", detail: "needs tests" });
    expect(rejected.responseTimeMs).toBeGreaterThan(0);
    expect(page.items.find((i) => i.outcome === "expired")!.responseTimeMs).toBeNull();
  });

  test("older pages visit every row exactly once, and newer pages walk back the same way", async () => {
    for (const size of [1, 7, 10, 49, 50]) {
      const { seen } = await allPages({}, size);
      expect(new Set(seen).size).toBe(49);
      expect(seen).toHaveLength(49);
    }
    // walk to the end with size 10, then back with "newer"
    const forward: string[][] = [];
    let page = await listHistory({}, 10);
    forward.push(page.items.map((i) => i.id));
    while (page.older) {
      page = await listHistory({ cursor: page.older }, 10);
      forward.push(page.items.map((i) => i.id));
    }
    const backward: string[][] = [page.items.map((i) => i.id)];
    while (page.newer) {
      page = await listHistory({ cursor: page.newer }, 10);
      backward.unshift(page.items.map((i) => i.id));
    }
    expect(backward.flat()).toEqual(forward.flat());
  });

  test("filters by type, outcome, agent and date range (UTC, inclusive)", async () => {
    const ids = async (f: HistoryFilter) => new Set((await allPages(f, 20)).seen);
    const key = (t: HistoryType, id: string) => `${t}:${id}`;
    expect(await ids({ type: "question" })).toEqual(
      new Set(questions.map((q) => key("question", q.id))),
    );
    expect(await ids({ outcome: "rejected" })).toEqual(
      new Set(approvals.filter((a) => a.outcome === "rejected").map((a) => key("approval", a.id))),
    );
    expect(await ids({ outcome: "expired" })).toEqual(
      new Set([
        ...approvals.filter((a) => a.outcome === "expired").map((a) => key("approval", a.id)),
        ...questions.filter((q) => q.outcome === "expired").map((q) => key("question", q.id)),
      ]),
    );
    expect(await ids({ agent: "agent-odd", outcome: "approved" })).toEqual(
      new Set(
        approvals
          .filter((a) => a.agent === "agent-odd" && a.outcome === "approved")
          .map((a) => key("approval", a.id)),
      ),
    );
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const inRange = (ms: number) => day(ms) >= "2026-01-11" && day(ms) <= "2026-01-11";
    expect(await ids({ from: "2026-01-11", to: "2026-01-11" })).toEqual(
      new Set([
        ...approvals.filter((a) => inRange(a.at)).map((a) => key("approval", a.id)),
        ...questions.filter((q) => inRange(q.at)).map((q) => key("question", q.id)),
      ]),
    );
  });

  test("search matches file path, description and question, with % and _ taken literally", async () => {
    const titles = async (q: string) =>
      (await listHistory({ q }, 200)).items.map((i) => i.title).sort();
    expect(await titles("100%_")).toEqual(["src/100%_done.ts"]);
    expect(await titles("50%")).toEqual(["Use 50% of the budget_for_tests?"]);
    expect(await titles("_for_")).toEqual(["Use 50% of the budget_for_tests?"]);
    expect(await titles("file\\")).toEqual([]);
    expect(await titles("CHANGE 11: TIDY")).toEqual(["src/file_11.ts"]);
    expect(await titles("%")).toEqual(
      ["Use 50% of the budget_for_tests?", "src/100%_done.ts"].sort(),
    );
  });
});

async function collect(
  type: HistoryType,
  filter: HistoryFilter,
  format: "csv" | "json",
  batch: number,
) {
  let out = format === "csv" ? csvRow(exportColumns(type).map((c) => c.name)) : JSON_ARRAY_OPEN;
  let written = 0;
  for await (const b of exportHistory(type, filter, format, batch)) {
    out +=
      format === "csv"
        ? (b as (string | null)[][]).map(csvRow).join("")
        : jsonArrayChunk(b as string[], written);
    written += b.length;
  }
  return format === "csv" ? out : out + JSON_ARRAY_CLOSE;
}

/** PostgreSQL's own COPY output: COPY TO STDOUT on the server, '/dev/blob' on PGlite. */
async function copyCsv(query: string): Promise<string> {
  const cfg = database.config;
  if (cfg.kind === "embedded") {
    const pg = (database.db as unknown as { $client: PGlite }).$client;
    const result = await pg.query(`COPY (${query}) TO '/dev/blob' WITH CSV HEADER`);
    return await result.blob!.text();
  }
  const client = postgres(cfg.url, { max: 1, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  try {
    const stream = await client.unsafe(`COPY (${query}) TO STDOUT WITH CSV HEADER`).readable();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    await client.end({ timeout: 2 });
  }
}

const ORDER: Record<HistoryType, string> = {
  approval: "COALESCE(approved_at, expires_at, timestamp) DESC, id DESC",
  question: "COALESCE(response_at, expires_at, timestamp) DESC, id DESC",
  tool_call: "COALESCE(approved_at, expires_at, timestamp) DESC, id DESC",
};
const DONE: Record<HistoryType, string> = {
  approval: "approved IS NOT NULL OR expires_at <= (now() AT TIME ZONE 'UTC')",
  question: "response IS NOT NULL OR expires_at <= (now() AT TIME ZONE 'UTC')",
  tool_call: "approved IS NOT NULL OR expires_at <= (now() AT TIME ZONE 'UTC')",
};
/** A table's rows as the export writes them: its columns, then submitted_by. */
const withKey = (table: string) =>
  `(SELECT r.*, (SELECT k.name FROM api_keys k WHERE k.id = r.submitted_key_id) AS submitted_by FROM ${table} r)`;
const TABLE: Record<HistoryType, string> = {
  approval: withKey("approval_requests"),
  question: withKey("question_requests"),
  tool_call: withKey("tool_call_requests"),
};

describe(`export (${testDbKind})`, () => {
  test.each(["approval", "question"] as const)(
    "%s JSON equals PostgreSQL's json_agg(row_to_json(t)) of the same rows",
    async (type) => {
      const [agg] = await rows<{ j: string }>(
        database.db,
        sql.raw(
          `SELECT json_agg(row_to_json(t) ORDER BY ${ORDER[type]})::text AS j FROM ${TABLE[type]} t WHERE ${DONE[type]}`,
        ),
      );
      for (const batch of [1, 3, 500]) {
        const ours = await collect(type, {}, "json", batch);
        expect(ours).toBe(agg!.j);
      }
      expect(await collect(type, { q: "no such thing" }, "json", 5)).toBe("[]");
    },
  );

  test.each(["approval", "question"] as const)(
    "%s CSV equals PostgreSQL's COPY … TO STDOUT WITH CSV HEADER, formula cells neutralised",
    async (type) => {
      const copy = await copyCsv(
        `SELECT * FROM ${TABLE[type]} t WHERE ${DONE[type]} ORDER BY ${ORDER[type]}`,
      );
      expect(copy.length).toBeGreaterThan(100);
      // Cell for cell COPY's, except that a text starting with = + - @ tab or CR (not a
      // plain number) gets a leading ' (OWASP's CSV injection remedy).
      const want = parseCsv(copy).map((row) =>
        row.map((cell) =>
          /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(cell)
            ? `'${cell}`
            : cell,
        ),
      );
      for (const batch of [1, 4, 500])
        expect(parseCsv(await collect(type, {}, "csv", batch))).toEqual(want);
    },
  );

  test("CSV quotes commas, quotes, CR/LF and empty strings; NULL stays empty; booleans t/f", async () => {
    const csv = await collect("approval", {}, "csv", 500);
    expect(csv.split("\n")[0]).toBe(
      "id,file_path,diff,description,agent_id,timestamp,approved,approved_at,created_at,comment,decided_by,expires_at,submitted_key_id,required_approvals,approval_count,rule_name,routed_to,on_expiry,escalate_after_s,hunk_decisions,applied_diff,edited,inline_comments,supersedes,revision,superseded_by,submitted_by",
    );
    expect(csv).toContain('"line ""quoted"", with comma\r\nand CRLF\n"');
    expect(csv).toMatch(/,"",agent-odd,/); // description "" (row 5)
    expect(csv).toMatch(/,t,2026-01-\d\d \d\d:\d\d:\d\d\.\d+,/);
    expect(csv).toMatch(/,f,2026-/);
  });
});

describe(`rows decided by hand, without a decision time (${testDbKind})`, () => {
  test("still appear once, sorted by their request time, in pages and exports", async () => {
    const id = randomUUID();
    await database.db.insert(approvalRequests).values({
      id,
      filePath: "manual/update.ts",
      diff: "x",
      agentId: "agent-even",
      timestamp: new Date(base + 30 * MIN),
      approved: true,
    });
    try {
      const { seen } = await allPages({}, 4);
      expect(seen).toHaveLength(50);
      expect(seen.filter((s) => s === `approval:${id}`)).toHaveLength(1);
      const item = (await listHistory({ q: "manual/" })).items[0]!;
      expect(item).toMatchObject({ id, outcome: "approved" });
      expect(item.decidedAt.getTime()).toBe(base + 30 * MIN);
      const csv = await collect("approval", { q: "manual/" }, "csv", 10);
      expect(csv.split("\n")).toHaveLength(3); // header, row, trailing newline
    } finally {
      await database.db.delete(approvalRequests).where(sql`id = ${id}`);
    }
  });
});
