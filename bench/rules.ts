/**
 * Benchmark — rules on the submit path: POST /api/v1/approvals latency at concurrency 1
 * with 50 rules loaded vs none, alternating (none, 50, none, 50, …) so that drift on a
 * shared machine hits both alike. The 50 rules match nothing the benchmark sends, so
 * every one is evaluated (the worst case), and some ask about paths, so the diff is
 * parsed. Goal: rules add ≤ 1 ms at p50. Beside it, the matching alone in this process
 * (lib/rules, no HTTP): µs per submission.
 */
import { makeDiff, recreateDatabase, serverEnv, pointAtServerDatabase } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { closedLoop, summarize } from "./lib/stats";

const DB = "nexus_bench_rules";
const PORT = Number(process.env.BENCH_PORT || 3405);
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const GOAL_MS = 1;

/** 50 rules of every kind of match, none of which matches src/bench.ts from bench-agent. */
export function fiftyRules(): unknown[] {
  const rules: unknown[] = [];
  for (let i = 0; i < 50; i++) {
    const name = `r${String(i).padStart(2, "0")}`;
    switch (i % 5) {
      case 0:
        rules.push({ name, match: { paths: [`docs${i}/**`, `*.md${i}`] }, action: "auto_approve" });
        break;
      case 1:
        rules.push({
          name,
          match: { tool: "Bash", command: `^(npm|pnpm) run task${i}\\b` },
          action: "auto_approve",
        });
        break;
      case 2:
        rules.push({ name, match: { agent_id: `agent-${i}` }, action: { require_approvals: 2 } });
        break;
      case 3:
        rules.push({
          name,
          match: { kind: "approval", paths: [`infra${i}/**`], max_lines: 10 },
          action: { auto_deny: `no infra${i}` },
        });
        break;
      default:
        rules.push({
          name,
          match: { kind: "question", question: `deploy${i}` },
          action: { route_to: ["ops@example.com"] },
        });
    }
  }
  return rules;
}

export async function benchRules() {
  await ensureBuild();
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { replaceRules } = await import("@/db/queries/rules");
  const { Rule } = await import("@/lib/rules/rule");
  const { compileRules, evaluateRules, requestFacts } = await import("@/lib/rules/match");
  await getDatabase(); // migrate
  const { key } = await createApiKey({ name: "bench-agent", role: "agent" });
  const rules = fiftyRules().map((r) => Rule.parse(r));
  const diffs = Array.from({ length: 50 }, (_, i) => makeDiff(2048 + ((i * 7919) % 18432), i));

  // the matching alone: facts + 50 rules (diff parsed once per submission), in-process
  const compiled = compileRules(rules);
  const micro: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    const facts = requestFacts(
      "approval",
      { filePath: "src/bench.ts", diff: diffs[i % diffs.length], description: null },
      { agentId: "bench-agent", keyName: "bench-agent" },
    );
    if (evaluateRules(compiled, facts)) throw new Error("a bench rule matched");
    if (i >= 200) micro.push(performance.now() - t0);
  }
  const matching = summarize(micro);

  const server = await startServer(PORT, serverEnv(DB));
  const phases: { rules: number; p50: number; p99: number; n: number }[] = [];
  try {
    const post = async (i: number) => {
      const res = await fetch(`${server.url}/api/v1/approvals`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({
          file_path: "src/bench.ts",
          diff: diffs[i % diffs.length],
          agent_id: "bench-agent",
        }),
      });
      const body = (await res.json()) as { status?: string };
      if (res.status !== 201 || body.status !== "pending")
        throw new Error(`status ${res.status} ${body.status}`);
    };
    await closedLoop(async (_, i) => post(i), 1, 2000); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const loaded of [0, 50]) {
        await replaceRules(loaded ? rules : [], "bench");
        await closedLoop(async (_, i) => post(i), 1, 300); // the server re-reads its copy
        const r = await closedLoop(async (_, i) => post(i), 1, SECONDS * 1000);
        if (r.firstError) console.error(`first error: ${r.firstError}`);
        phases.push({ rules: loaded, p50: r.latency.p50, p99: r.latency.p99, n: r.latency.n });
      }
    }
    const median = (xs: number[]) => summarize(xs).p50;
    const p50None = median(phases.filter((p) => p.rules === 0).map((p) => p.p50));
    const p50Fifty = median(phases.filter((p) => p.rules === 50).map((p) => p.p50));
    const added = p50Fifty - p50None;
    const rows = phases.map((p, i) => ({
      round: Math.floor(i / 2) + 1,
      rules: p.rules,
      requests: p.n,
      "p50 ms": ms(p.p50),
      "p99 ms": ms(p.p99),
    }));
    printTable(
      "Submit latency with 50 rules vs none (POST /api/v1/approvals, concurrency 1)",
      rows,
    );
    printTable("Rules' cost at p50", [
      {
        "p50, no rules (median of rounds)": `${p50None.toFixed(2)} ms`,
        "p50, 50 rules": `${p50Fifty.toFixed(2)} ms`,
        added: `${added.toFixed(2)} ms`,
        "matching alone p50": `${(matching.p50 * 1000).toFixed(0)} µs`,
        "matching alone p99": `${(matching.p99 * 1000).toFixed(0)} µs`,
        goal: `≤ ${GOAL_MS} ms added`,
        met: added <= GOAL_MS ? "yes" : "NO",
      },
    ]);
    const rss = server.rssMiB();
    writeResult("rules", {
      seconds_per_phase: SECONDS,
      phases,
      p50_none_ms: p50None,
      p50_fifty_ms: p50Fifty,
      added_ms: added,
      matching_alone_us: { p50: matching.p50 * 1000, p99: matching.p99 * 1000 },
      goal_added_ms: GOAL_MS,
      server_rss_mib: rss,
    });
    return { rss };
  } finally {
    await server.stop();
    await closeDatabase();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchRules().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
