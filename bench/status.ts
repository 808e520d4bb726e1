/**
 * Benchmark — the operators' status (`GET /api/v1/status`, issue 17) on the benchmark
 * data set (100,000 requests, 1,000,000 metrics rows: `npm run bench:data`), with a
 * monitor key: sequential requests after a warm-up, then the same while 8 agents submit
 * approvals back to back. Goal: answers in < 100 ms (p50 and p99 printed beside it).
 */
import { makeDiff, pointAtServerDatabase, serverEnv } from "./lib/db";
import { benchDataDatabase, loadAverage } from "./lib/data";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { closedLoop, summarize } from "./lib/stats";

const DB = process.env.BENCH_PAGES_DB || "nexus_bench_pages";
const PORT = Number(process.env.BENCH_PORT || 3404);
const RUNS = Number(process.env.BENCH_RUNS || 50);
const GOAL_MS = 100;
const SUBMITTERS = 8;

export async function benchStatus() {
  await ensureBuild();
  await benchDataDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  await getDatabase(); // migrate (a reused data set may predate a migration)
  const { createApiKey } = await import("@/db/queries/api-keys");
  const monitor = (await createApiKey({ name: `bench-monitor-${Date.now()}`, role: "monitor" }))
    .key;
  const agent = (await createApiKey({ name: `bench-agent-${Date.now()}`, role: "agent" })).key;
  const server = await startServer(PORT, serverEnv(DB));
  try {
    let reported: number[] = [];
    const get = async () => {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/status`, {
        headers: { authorization: `Bearer ${monitor}` },
      });
      const body = (await res.json()) as { durationMs?: number; pending?: unknown[] };
      if (res.status !== 200 || !Array.isArray(body.pending))
        throw new Error(`status: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      reported.push(body.durationMs ?? NaN);
      return performance.now() - t0;
    };
    const measure = async () => {
      reported = [];
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await get());
      return { http: summarize(samples), inside: summarize(reported) };
    };
    for (let i = 0; i < 5; i++) await get(); // warm-up
    const load1 = loadAverage();
    const quiet = await measure();
    const diff = makeDiff(4096, 1);
    const stopLoad = new AbortController();
    const submitting = closedLoop(
      async () => {
        const res = await fetch(`${server.url}/api/v1/approvals`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${agent}` },
          body: JSON.stringify({ file_path: "src/x.ts", diff, agent_id: "bench-status" }),
        });
        await res.arrayBuffer();
      },
      SUBMITTERS,
      600_000,
      stopLoad.signal,
    );
    await new Promise((r) => setTimeout(r, 500));
    const busy = await measure();
    const load2 = loadAverage();
    stopLoad.abort();
    const submitted = await submitting;
    const rows = [
      ["sequential", quiet, load1],
      [`while ${SUBMITTERS} agents submit`, busy, load2],
    ].map(([label, r, load]) => {
      const x = r as typeof quiet;
      return {
        "GET /api/v1/status": label as string,
        "p50 ms": ms(x.http.p50),
        "p99 ms": ms(x.http.p99),
        "max ms": ms(x.http.max),
        "in handler p50/p99 ms": `${ms(x.inside.p50)} / ${ms(x.inside.p99)}`,
        goal: `< ${GOAL_MS}`,
        ok: x.http.p99 < GOAL_MS ? "yes" : x.http.p50 < GOAL_MS ? "p50 only" : "NO",
        "load avg": load as string,
      };
    });
    const rss = server.rssMiB();
    printTable(`Status (100k requests, 1M metrics rows, ${RUNS} requests each)`, rows);
    console.log(
      `submits meanwhile: ${Math.round(submitted.rps)} req/s, ${submitted.errors} errors`,
    );
    writeResult("status", { runs: RUNS, quiet, busy, goal_ms: GOAL_MS, server_rss_mib: rss });
    return { rows, rss };
  } finally {
    await closeDatabase();
    await server.stop();
  }
}
