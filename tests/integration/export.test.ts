import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { pgliteOf, postgresOf } from "@/db/ops/clients";
import { EXPORTS, exportChunks, type ExportFormat, type ExportName } from "@/db/ops/export";
import { decideRequest } from "@/db/queries/request-store";
import { approvalRequests, questionRequests } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { parseCsv } from "../helpers/csv";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";

/** The store's decision for an approval, in the shape these tests were written for. */
const decideApproval = (i: {
  id: string;
  approved: boolean;
  comment?: string | null;
  decidedBy: string;
}) =>
  decideRequest("approval", {
    id: i.id,
    decision: { approved: i.approved, comment: i.comment ?? null },
    decidedBy: i.decidedBy,
  });
const respondToQuestion = (i: { id: string; response: string; respondedBy: string }) =>
  decideRequest("question", {
    id: i.id,
    decision: { response: i.response },
    decidedBy: i.respondedBy,
  });

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
  await seedDemo(database.db);
  const a = randomUUID();
  await database.db.insert(approvalRequests).values([
    { id: a, filePath: 'dir/with, comma "and quotes".ts', diff: "+a\r\n-b\n\\.\n", agentId: "x" },
    { id: randomUUID(), filePath: "empty-description", diff: "d", description: "", agentId: "x" },
    // a lone \. is quoted by COPY only in a single-column file: bare here
    { id: randomUUID(), filePath: "\\.", diff: "\\.", description: "\\.", agentId: "x" },
    // a formula for whoever opens the CSV in a spreadsheet
    {
      id: randomUUID(),
      filePath: "formula.ts",
      diff: "d",
      description: '=HYPERLINK("http://evil.example","click")',
      agentId: "@agent",
    },
  ]);
  await decideApproval({ id: a, approved: true, comment: null, decidedBy: "r" });
  const qid = randomUUID();
  await database.db.insert(questionRequests).values({
    id: qid,
    question: "Which, exactly?",
    context: { nested: { list: [1, "two", null], quote: 'a"b' } },
    agentId: "x",
  });
  await respondToQuestion({ id: qid, response: "this one\nand that", respondedBy: "r" });
});
afterAll(() => teardownTestDatabase(database));

async function collect(name: ExportName, format: ExportFormat, since?: Date) {
  let text = "";
  for await (const c of exportChunks({ database, name, format, since })) text += c;
  return text;
}

/** What PostgreSQL's own COPY … CSV HEADER gives (primary-key order, like the export). */
async function copyCsv(table: string): Promise<string> {
  const query = `COPY (SELECT * FROM public.${table} ORDER BY id) TO STDOUT WITH CSV HEADER`;
  if (database.config.kind === "embedded") {
    const pg = pgliteOf(database);
    const r = await pg.query(query.replace("STDOUT", "'/dev/blob'"));
    return await r.blob!.text();
  }
  const stream = await postgresOf(database).unsafe(query).readable();
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe(`export (${testDbKind})`, () => {
  for (const [name, { table }] of Object.entries(EXPORTS) as [ExportName, { table: string }][]) {
    test(`${name} as CSV is PostgreSQL's COPY ${table} … CSV HEADER, formulas neutralised`, async () => {
      const ours = await collect(name, "csv");
      expect(ours.split("\n").length).toBeGreaterThan(3);
      // Cell for cell COPY's, except that a text starting with = + - @ tab or CR (and not
      // a plain number) gets a leading ' (OWASP's CSV injection remedy).
      const neutralised = parseCsv(await copyCsv(table)).map((row) =>
        row.map((cell) =>
          /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(cell)
            ? `'${cell}`
            : cell,
        ),
      );
      expect(parseCsv(ours)).toEqual(neutralised);
    });

    if (name === "approvals")
      test("a formula in a text cell is written as text, prefixed with '", async () => {
        const ours = await collect(name, "csv");
        expect(ours).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
        expect(ours).toContain(`"'@agent"`);
        expect(ours).not.toMatch(/(^|,)=HYPERLINK/m);
      });

    test(`${name} as JSON is byte for byte json_agg(row_to_json(t))`, async () => {
      const ours = await collect(name, "json");
      const [agg] = await rows<{ j: string }>(
        database.db,
        sql.raw(`SELECT json_agg(row_to_json(t) ORDER BY t.id)::text AS j FROM public.${table} t`),
      );
      expect(ours).toBe(agg!.j);
    });
  }

  test("--since keeps rows from that moment on (timestamp column, UTC)", async () => {
    const cutoff = new Date(Date.now() - 2 * 3_600_000);
    const all = parseCsv(await collect("approvals", "csv")).slice(1);
    const recent = parseCsv(await collect("approvals", "csv", cutoff)).slice(1);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    for (const r of recent) expect(new Date(`${r[5]!.replace(" ", "T")}Z`) >= cutoff).toBe(true);
    expect(JSON.parse(await collect("metrics", "json", new Date("2999-01-01")))).toEqual([]);
  });
});

describe.runIf(testDbKind === "embedded")("export CLI", () => {
  test("writes the file named by --output and refuses bad input with one line", async () => {
    // the CLI opens the database itself: give it a copy of ours (the lock is per process)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-export-cli-"));
    const env = baseEnv({ NEXUS_DATA_DIR: path.join(dir, "data") });
    const out = path.join(dir, "q.csv");
    const ok = await runScript(
      "scripts/cli.ts",
      ["export", "questions", "--format", "csv", "--output", out],
      env,
    );
    expect(ok.stderr).toContain("export written");
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(out, "utf8").split("\n")[0]).toBe(
      "id,question,context,agent_id,timestamp,response,response_at,created_at,responded_by,expires_at,submitted_key_id,options,multi_select,allow_text,selected,required_approvals,approval_count,rule_name,routed_to,on_expiry,escalate_after_s",
    );
    // Every request and answer: readable by the owner only, whatever the umask.
    expect((fs.statSync(out).mode & 0o777).toString(8)).toBe("600");
    const bad = await runScript("scripts/cli.ts", ["export", "users", "--format", "csv"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("nexus: export what? one of approvals, questions, metrics");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
