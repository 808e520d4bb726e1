import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { getDatabase, rows, type Db } from "@/db/client";
import { runCli } from "../scripts/run-cli";

/*
 * `npm run bench:data [-- --requests N --metrics N --force]`: a benchmark data set in
 * the configured database (set NEXUS_DB=nexus_bench DB_HOST=127.0.0.1 for a server).
 *
 * Defaults: 100,000 requests (70% approvals, 30% questions; 90% decided) spread over
 * the last 90 days, 8 agents, 6 reviewers, and 1,000,000 hitl_metrics rows. Each
 * decided request gets its metrics row; the rest of the metrics rows stand for
 * history whose request rows were pruned: they reference request ids that exist in
 * neither request table (hitl_metrics has UNIQUE (request_type, request_id), so a
 * million rows need a million distinct ids). The metrics page counts them under
 * "(request deleted)".
 *
 * Everything is generated inside PostgreSQL (INSERT … SELECT FROM generate_series) in
 * batches. It refuses a database that already holds data unless --force: it is for
 * benchmarks, not for a database people use.
 */

class UsageError extends Error {
  override name = "UsageError";
}

const AGENTS = [
  "self-improving-agent",
  "refactor-bot",
  "architect-agent",
  "docs-agent",
  "test-writer",
  "security-scanner",
  "migration-agent",
  "ui-polisher",
];
const REVIEWERS = [
  "ana@example.com",
  "bo@example.com",
  "chen@example.com",
  "dara@example.com",
  "eli@example.com",
  "key:triage-bot",
];
/** how slow each reviewer is, relative to the others (index-aligned with REVIEWERS) */
const REVIEWER_PACE = [0.6, 1, 1.4, 2.5, 0.9, 0.2];

const BATCH = 20_000;
const METRICS_BATCH = 100_000;

const textArray = (xs: string[]) => sql.raw(`ARRAY[${xs.map((x) => `'${x}'`).join(",")}]`);
const agents = textArray(AGENTS);
const reviewers = textArray(REVIEWERS);
const PACE = `ARRAY[${REVIEWER_PACE.join(",")}]::float8[]`;
const nowUtc = sql`(now() AT TIME ZONE 'UTC')`;

/**
 * A human response time in ms: log-uniform between 4 s and ~100 min, scaled by the
 * reviewer's pace (reviewer index `r`, 1-based), with 1 in 100 twenty times slower.
 */
const responseMs = (r: string) =>
  sql.raw(`LEAST(2000000000, floor(exp(ln(4000) + random() * ln(1500)) * (${PACE})[${r}]
    * CASE WHEN random() < 0.01 THEN 20 ELSE 1 END))::int`);

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        requests: { type: "string", default: "100000" },
        metrics: { type: "string", default: "1000000" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const n = (name: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
    return Number(v);
  };
  const requests = n("requests", values.requests);
  const metrics = n("metrics", values.metrics);
  if (metrics < Math.ceil(requests * 0.9)) {
    throw new UsageError(
      `--metrics must be at least 90% of --requests (${Math.ceil(requests * 0.9)})`,
    );
  }
  return { requests, metrics, force: values.force, help: values.help };
}

async function count(db: Db, table: string) {
  const [r] = await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number(r!.n);
}

function progress(label: string, done: number, total: number, started: number) {
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `  ${label}: ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} (${secs} s)`,
  );
}

async function insertApprovals(db: Db, from: number, to: number) {
  // g % 10 = 0 → pending (10%), recent-skewed; the rest decided, over 90 days
  await db.execute(sql`
    INSERT INTO approval_requests (id, file_path, diff, description, agent_id, timestamp, created_at,
                                   approved, approved_at, decided_by, comment)
    SELECT gen_random_uuid(), s.path, s.diff, 'Benchmark change ' || s.g, s.agent, s.ts, s.ts,
           CASE WHEN s.decided THEN s.ok END,
           CASE WHEN s.decided THEN LEAST(${nowUtc}, s.ts + s.ms * interval '1 millisecond') END,
           CASE WHEN s.decided THEN s.reviewer END,
           CASE WHEN s.decided AND NOT s.ok THEN 'Needs a test first.' END
    FROM (
      SELECT g, g % 10 <> 0 AS decided, random() < 0.82 AS ok,
             'src/module_' || (g % 500) || '/file_' || (g % 37) || '.ts' AS path,
             E'--- a/src/x.ts\\n+++ b/src/x.ts\\n@@ -1,3 +1,3 @@\\n const a = 1;\\n-const b = ' || g || E';\\n+const b = ' || (g + 1) || E';\\n const c = 3;\\n' AS diff,
             (${agents})[1 + (g * 7 + (g / 13)) % ${AGENTS.length}] AS agent,
             (${reviewers})[r] AS reviewer,
             ${nowUtc} - (CASE WHEN g % 10 = 0 THEN power(random(), 3) ELSE random() END) * interval '90 days' AS ts,
             ${responseMs("r")} AS ms
      FROM (SELECT g, 1 + floor(random() * ${REVIEWERS.length})::int AS r
            FROM generate_series(${from}::int, ${to}::int) g) base
    ) s`);
}

async function insertQuestions(db: Db, from: number, to: number) {
  await db.execute(sql`
    INSERT INTO question_requests (id, question, context, agent_id, timestamp, created_at,
                                   response, response_at, responded_by)
    SELECT gen_random_uuid(), 'Benchmark question ' || s.g || ': which option should I take?',
           jsonb_build_object('options', jsonb_build_array('a', 'b'), 'n', s.g), s.agent, s.ts, s.ts,
           CASE WHEN s.decided THEN 'Take option a.' END,
           CASE WHEN s.decided THEN LEAST(${nowUtc}, s.ts + s.ms * interval '1 millisecond') END,
           CASE WHEN s.decided THEN s.reviewer END
    FROM (
      SELECT g, g % 10 <> 0 AS decided,
             (${agents})[1 + (g * 5 + (g / 11)) % ${AGENTS.length}] AS agent,
             (${reviewers})[r] AS reviewer,
             ${nowUtc} - (CASE WHEN g % 10 = 0 THEN power(random(), 3) ELSE random() END) * interval '90 days' AS ts,
             ${responseMs("r")} AS ms
      FROM (SELECT g, 1 + floor(random() * ${REVIEWERS.length})::int AS r
            FROM generate_series(${from}::int, ${to}::int) g) base
    ) s`);
}

/** One metrics row per decided request, as decideApproval/respondToQuestion would write. */
async function metricsForRequests(db: Db) {
  await db.execute(sql`
    INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
    SELECT 'approval', id, GREATEST(0, round(extract(epoch FROM (approved_at - timestamp)) * 1000))::int,
           decided_by, approved_at
    FROM approval_requests WHERE approved IS NOT NULL
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`
    INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
    SELECT 'question', id, GREATEST(0, round(extract(epoch FROM (response_at - timestamp)) * 1000))::int,
           responded_by, response_at
    FROM question_requests WHERE response IS NOT NULL
    ON CONFLICT DO NOTHING`);
}

/** Metrics rows of pruned requests (ids in neither request table), over 90 days. */
async function historicalMetrics(db: Db, n: number) {
  await db.execute(sql`
    INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id, created_at)
    SELECT CASE WHEN random() < 0.7 THEN 'approval' ELSE 'question' END, gen_random_uuid(),
           ${responseMs("r")}, (${reviewers})[r], ${nowUtc} - random() * interval '90 days'
    FROM (SELECT g, 1 + floor(random() * ${REVIEWERS.length})::int AS r
          FROM generate_series(1, ${n}::int) g) base`);
}

runCli(async () => {
  const opts = parse(process.argv.slice(2));
  if (opts.help) {
    console.log("usage: npm run bench:data -- [--requests 100000] [--metrics 1000000] [--force]");
    return;
  }
  // A bulk load: statements of 100,000 rows (each through the metrics rollup's trigger)
  // outlast the app's 5 s statement timeout on a busy machine.
  process.env.NEXUS_STATEMENT_TIMEOUT_MS ??= "600000";
  const database = await getDatabase();
  const db = database.db;
  const existing =
    (await count(db, "approval_requests")) +
    (await count(db, "question_requests")) +
    (await count(db, "hitl_metrics"));
  if (existing > 1000 && !opts.force) {
    throw new UsageError(
      `${database.config.label} already holds ${existing.toLocaleString("en-US")} rows; this script is for benchmark databases (e.g. NEXUS_DB=nexus_bench). Pass --force to add to it anyway.`,
    );
  }
  console.log(`bench:data into ${database.config.label}`);
  const started = Date.now();
  const approvals = Math.round(opts.requests * 0.7);
  const questions = opts.requests - approvals;
  for (let i = 1; i <= approvals; i += BATCH) {
    const to = Math.min(approvals, i + BATCH - 1);
    await insertApprovals(db, i, to);
    progress("approvals", to, approvals, started);
  }
  for (let i = 1; i <= questions; i += BATCH) {
    const to = Math.min(questions, i + BATCH - 1);
    await insertQuestions(db, i, to);
    progress("questions", to, questions, started);
  }
  const before = await count(db, "hitl_metrics");
  await metricsForRequests(db);
  const real = (await count(db, "hitl_metrics")) - before;
  progress("metrics of decided requests", real, real, started);
  const history = Math.max(0, opts.metrics - real);
  for (let done = 0; done < history;) {
    const n = Math.min(METRICS_BATCH, history - done);
    await historicalMetrics(db, n);
    done += n;
    progress("metrics of pruned requests", done, history, started);
  }
  await db.execute(sql`VACUUM ANALYZE approval_requests`);
  await db.execute(sql`VACUUM ANALYZE question_requests`);
  await db.execute(sql`VACUUM ANALYZE hitl_metrics`);
  console.log(
    `bench:data: ${opts.requests.toLocaleString("en-US")} requests and ${(real + history).toLocaleString("en-US")} metrics rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
