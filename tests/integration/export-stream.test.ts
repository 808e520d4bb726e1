import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import v8 from "node:v8";
import vm from "node:vm";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database } from "@/db/client";
import { exportChunks } from "@/db/ops/export";
import { approvalRequests } from "@/db/schema";
import { pgTimestamp, neutraliseFormula } from "@/lib/export/format";
import { parseCsv } from "../helpers/csv";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

const N = 100_000;
const MB = 1024 * 1024;
let database: Database;
let dir: string;

beforeAll(async () => {
  // The fixture below is one 100k-row INSERT: on a loaded machine it outlasts the
  // production statement timeout (5 s), which this file does not test (the CLI export
  // runs exempt from it anyway).
  process.env.NEXUS_STATEMENT_TIMEOUT_MS = "300000";
  database = await setupTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-export-"));
  // ~1 KiB diffs with quotes, commas and newlines; a third pending, a third rejected
  await database.db.execute(sql`
    INSERT INTO approval_requests (id, file_path, diff, description, agent_id, timestamp, approved, approved_at, created_at)
    SELECT md5(i::text)::uuid, 'src/file_' || i || '.ts',
           '--- a/f' || i || E'\n+++ b/f\n@@ -1 +1 @@\n-"old", x\n+' || repeat(md5(i::text), 30),
           CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '' ELSE 'change, "' || i || '"' END,
           'agent-' || (i % 7),
           TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1.234567 second',
           CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END,
           CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2026-01-02 00:00:00' + i * INTERVAL '1 ms' END,
           TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1.234567 second'
      FROM generate_series(1, ${N}) AS i`);
}, 300_000);
afterAll(async () => {
  await teardownTestDatabase(database);
  delete process.env.NEXUS_STATEMENT_TIMEOUT_MS;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`streaming export of ${N} rows (${testDbKind})`, () => {
  test("memory stays flat while the file grows past 100 MB, and the CSV parses back to the same rows", async () => {
    const file = path.join(dir, "approvals.csv");
    const out = fs.createWriteStream(file);
    // retained heap, measured after a full GC every few chunks: garbage is not growth
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    let chunks = 0;
    const started = Date.now();
    for await (const chunk of exportChunks({ database, name: "approvals", format: "csv" })) {
      if (!out.write(chunk)) await once(out, "drain");
      if (++chunks % 10 === 0) {
        gc();
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
      }
    }
    out.end();
    await once(out, "finish");
    const bytes = fs.statSync(file).size;
    const heapGrowth = (peakHeap - base.heapUsed) / MB;
    const rssGrowth = (peakRss - base.rss) / MB;
    console.log(
      `export ${N} rows (${testDbKind}): ${(bytes / MB).toFixed(0)} MB in ${Date.now() - started} ms; ` +
        `heap +${heapGrowth.toFixed(0)} MB, rss +${rssGrowth.toFixed(0)} MB`,
    );
    expect(bytes).toBeGreaterThan(100 * MB);
    expect(heapGrowth).toBeLessThan(50);
    expect(rssGrowth).toBeLessThan(100);

    // parse back and compare with the rows read through the ORM (another code path)
    const parsed = parseCsv(fs.readFileSync(file, "utf8"));
    const header = parsed.shift()!;
    expect(parsed).toHaveLength(N);
    const col = (name: string) => header.indexOf(name);
    const byId = new Map(parsed.map((r) => [r[col("id")]!, r]));
    const dbRows = await database.db.select().from(approvalRequests);
    console.log(`parsed and read back in ${Date.now() - started} ms`);
    expect(dbRows).toHaveLength(N);
    const mismatches: string[] = [];
    const check = (id: string, column: string, got: string | undefined, want: string) => {
      if (got !== want && mismatches.length < 5)
        mismatches.push(`${id}.${column}: ${got} != ${want}`);
    };
    const ms = (pgText: string) => Date.parse(`${pgText.replace(" ", "T")}Z`);
    for (const r of dbRows) {
      const c = byId.get(r.id);
      if (!c) {
        mismatches.push(`${r.id} missing from the export`);
        continue;
      }
      check(r.id, "file_path", c[col("file_path")], neutraliseFormula(r.filePath));
      // text cells come out as a spreadsheet-safe text (a diff starts with `---`)
      check(r.id, "diff", c[col("diff")], neutraliseFormula(r.diff));
      check(r.id, "description", c[col("description")], neutraliseFormula(r.description ?? ""));
      check(r.id, "agent_id", c[col("agent_id")], neutraliseFormula(r.agentId));
      check(
        r.id,
        "approved",
        c[col("approved")],
        r.approved === null ? "" : r.approved ? "t" : "f",
      );
      check(
        r.id,
        "approved_at",
        c[col("approved_at")],
        r.approvedAt ? pgTimestamp(r.approvedAt) : "",
      );
      // the export keeps PostgreSQL's microseconds; the ORM's Date has milliseconds
      const t = c[col("timestamp")]!;
      if (
        !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/.test(t) ||
        Math.abs(ms(t) - r.timestamp!.getTime()) > 1
      )
        check(r.id, "timestamp", t, pgTimestamp(r.timestamp!));
    }
    expect(mismatches).toEqual([]);
  }, 600_000);
});
