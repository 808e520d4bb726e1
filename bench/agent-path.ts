/**
 * Benchmark — the agent's critical path (issue "Performance on the agent's path", goals
 * 2 and 3): a Claude Code `PreToolUse` hook call (`Bash npm test`) that an `auto_approve`
 * rule answers, at concurrency 1 and 32, on the PostgreSQL server and on the embedded
 * database (PGlite, what a new user gets); beside it on PGlite, the submit
 * (`POST /api/v1/approvals`, 2–20 KB diffs) at the same concurrency, which has no goal
 * there yet but must answer without errors.
 * Goals: hook p50 ≤ 3 ms at c = 1, p99 ≤ 20 ms at c = 32 (on the server database).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeDiff, pointAtServerDatabase, recreateDatabase, serverEnv } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startBareServer, startServer, type BenchServer } from "./lib/server";
import { closedLoop } from "./lib/stats";

const DB = "nexus_bench_agent_path";
const PORT = Number(process.env.BENCH_PORT || 3407);
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const LEVELS = [1, 32];
const RULE = {
  name: "tests-and-lint",
  match: { kind: "tool_call", tool: "Bash", command: "^npm (test|run lint)\\b" },
  action: "auto_approve",
};
const DB_VARS = ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "NEXUS_DB"];

type Loop = Awaited<ReturnType<typeof closedLoop>>;

/** A key and the rule, written before the server opens the database. */
async function prepare(): Promise<string> {
  const { resetEnvCache } = await import("@/lib/env");
  resetEnvCache();
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { saveRule } = await import("@/db/queries/rules");
  const { Rule } = await import("@/lib/rules/rule");
  await getDatabase(); // migrate
  const { key } = await createApiKey({ name: "bench-agent", role: "agent" });
  if ((await saveRule(Rule.parse(RULE), { by: "bench" })) !== "created")
    throw new Error("could not save the benchmark's rule");
  await closeDatabase();
  return key;
}

let seq = 0;
async function hook(url: string, key: string) {
  seq++;
  const res = await fetch(`${url}/api/v1/integrations/claude-code/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      session_id: `bench-${process.pid}`,
      transcript_path: "/tmp/bench/s.jsonl",
      cwd: "/tmp/bench",
      permission_mode: "default",
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "npm test -- --run", description: "Run the tests" },
      tool_use_id: `toolu_bench_${seq}`,
    }),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"allow"'))
    throw new Error(`status ${res.status}: ${text.slice(0, 200)}`);
}

async function submit(url: string, key: string, diff: string) {
  const res = await fetch(`${url}/api/v1/approvals`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ file_path: "src/bench.ts", diff, agent_id: "bench-agent" }),
  });
  if (res.status !== 201)
    throw new Error(`status ${res.status}: ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
}

const row = (
  database: string,
  scenario: string,
  c: number,
  r: Loop,
  goal: string,
  met: string,
) => ({
  database,
  scenario,
  concurrency: c,
  "req/s": Math.round(r.rps),
  "p50 ms": ms(r.latency.p50),
  "p99 ms": ms(r.latency.p99),
  errors: r.errors,
  goal,
  met,
});

const yes = (ok: boolean) => (ok ? "yes" : "no");

function hookGoal(c: number, r: Loop): [string, string] {
  if (c === 1) return ["p50 ≤ 3 ms", yes(r.latency.p50 <= 3 && r.errors === 0)];
  if (c === 32) return ["p99 ≤ 20 ms", yes(r.latency.p99 <= 20 && r.errors === 0)];
  return ["", ""];
}

async function measure(
  server: BenchServer,
  key: string,
  database: string,
  withSubmit: boolean,
  rows: Record<string, string | number>[],
  results: unknown[],
) {
  const diffs = Array.from({ length: 20 }, (_, i) => makeDiff(2048 + ((i * 7919) % 18432), i));
  // warm-up
  await closedLoop(() => hook(server.url, key), 4, 1500);
  if (withSubmit)
    await closedLoop((w, i) => submit(server.url, key, diffs[(w + i) % 20]!), 4, 1500);
  for (const c of LEVELS) {
    const h = await closedLoop(() => hook(server.url, key), c, SECONDS * 1000);
    const [goal, met] =
      database === "postgresql"
        ? hookGoal(c, h)
        : database === "pglite"
          ? ["no errors", yes(h.errors === 0)]
          : ["(not Nexus's server: the route layer's cost)", ""];
    rows.push(row(database, "hook, rule-decided", c, h, goal, met));
    results.push({ database, scenario: "hook", concurrency: c, ...h });
    if (h.firstError) console.error(`${database} hook c=${c}: first error ${h.firstError}`);
    if (!withSubmit) continue;
    const s = await closedLoop(
      (w, i) => submit(server.url, key, diffs[(w * 7 + i) % 20]!),
      c,
      SECONDS * 1000,
    );
    rows.push(row(database, "submit (2–20 KB diff)", c, s, "no errors", yes(s.errors === 0)));
    results.push({ database, scenario: "submit", concurrency: c, ...s });
    if (s.firstError) console.error(`${database} submit c=${c}: first error ${s.firstError}`);
  }
}

export async function benchAgentPath() {
  await ensureBuild();
  const rows: Record<string, string | number>[] = [];
  const results: unknown[] = [];
  let rss = 0;

  // 1. PostgreSQL server
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  let key = await prepare();
  let server = await startServer(PORT, serverEnv(DB));
  try {
    await measure(server, key, "postgresql", false, rows, results);
    rss = server.rssMiB();
  } finally {
    await server.stop();
  }
  // the same hook handler behind plain node:http (bench/lib/bare-server.ts): what the
  // route layer costs, and what a lean /api/v1 path could reach
  const bare = await startBareServer(PORT + 50, serverEnv(DB));
  try {
    await measure(bare, key, "postgresql, plain node:http", false, rows, results);
  } finally {
    await bare.stop();
  }

  // 2. The embedded database, in a fresh folder
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-bench-pglite-"));
  const saved = Object.fromEntries(DB_VARS.map((k) => [k, process.env[k]]));
  for (const k of DB_VARS) delete process.env[k];
  process.env.NEXUS_DATA_DIR = dir;
  try {
    key = await prepare();
    server = await startServer(PORT, { NEXUS_DATA_DIR: dir, NEXUS_PGLITE_PORT: "off" });
    try {
      await measure(server, key, "pglite", true, rows, results);
      rss = Math.max(rss, server.rssMiB());
    } finally {
      await server.stop();
    }
  } finally {
    delete process.env.NEXUS_DATA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
    // the benchmarks after this one open the server database again in this process
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
  }

  printTable(
    "The agent's path: a rule-decided hook call, and submit on the embedded database",
    rows,
  );
  writeResult("agent-path", { seconds_per_level: SECONDS, rule: RULE, results });
  return { rows, rss };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAgentPath().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
