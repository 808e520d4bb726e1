/**
 * Benchmark 4 — page renders at scale: 100,000 requests + 1,000,000 metrics rows
 * (`npm run bench:data`), server response time of `/`, `/history` (first page and a
 * deep page), `/metrics` and `GET /api/v1/metrics`, signed in, sequential requests after
 * a warm-up. Goals: < 150 ms, < 150 ms, < 300 ms median (/metrics over all 1,000,000
 * decisions included: issue 16, read from the rollup). The machine's load is printed.
 */
import { serverEnv, pointAtServerDatabase } from "./lib/db";
import { benchDataDatabase, loadAverage } from "./lib/data";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { nextLink, reviewerCookie } from "./lib/session";
import { summarize } from "./lib/stats";

const DB = process.env.BENCH_PAGES_DB || "nexus_bench_pages";
const PORT = Number(process.env.BENCH_PORT || 3403);
const RUNS = Number(process.env.BENCH_RUNS || 20);
const DEEP = Number(process.env.BENCH_DEEP_PAGES || 50);

export async function benchPages() {
  await ensureBuild();
  await benchDataDatabase(DB);
  await pointAtServerDatabase(DB);
  const server = await startServer(PORT, serverEnv(DB));
  try {
    const cookie = await reviewerCookie(server.url);
    const get = async (p: string) => {
      const t0 = performance.now();
      const res = await fetch(`${server.url}${p}`, { headers: { cookie }, redirect: "manual" });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${p}: status ${res.status}`);
      return { ms: performance.now() - t0, html };
    };
    // find a deep history page by following "Older" links
    let deep = "/history";
    for (let i = 0; i < DEEP; i++) {
      const next = nextLink((await get(deep)).html);
      if (!next) break;
      deep = next;
    }
    const pages: [string, string, number][] = [
      ["/", "/", 150],
      ["/history (first page)", "/history", 150],
      [`/history (page ${DEEP + 1})`, deep, 150],
      ["/metrics (7 d)", "/metrics", 300],
      ["/metrics (all)", "/metrics?period=all", 300],
      ["/api/v1/metrics (all)", "/api/v1/metrics?period=all", 300],
      ["/api/v1/metrics (30 d)", "/api/v1/metrics?period=30d", 300],
    ];
    const rows = [];
    const results: Record<string, unknown> = {};
    for (const [label, url, goal] of pages) {
      for (let i = 0; i < 3; i++) await get(url); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push((await get(url)).ms);
      const s = summarize(samples);
      results[label] = { url, ...s, goal_ms: goal };
      rows.push({
        page: label,
        "median ms": ms(s.p50),
        "p99 ms": ms(s.p99),
        "max ms": ms(s.max),
        goal: `< ${goal}`,
        ok: s.p50 < goal ? "yes" : "NO",
      });
    }
    const rss = server.rssMiB();
    printTable(
      `Page renders (100k requests, 1M metrics rows, ${RUNS} runs each; load average ${loadAverage()})`,
      rows,
    );
    console.log(`server RSS after scenario: ${rss} MiB`);
    writeResult("pages", { runs: RUNS, results, server_rss_mib: rss });
    return { rows, rss };
  } finally {
    const { closeDatabase } = await import("@/db/client");
    await closeDatabase();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchPages().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
