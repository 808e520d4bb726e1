/**
 * Benchmark 1 — submit throughput: POST /api/v1/approvals with realistic diffs (2–20 KB)
 * at concurrency 1, 8, 32, 128, beside the raw `postgres` driver inserting the same rows
 * with the same concurrency (pool capped at Nexus's pool size). Goal: Nexus ≥ 50% of raw.
 * Beside them, to tell the HTTP layer's cost from Nexus's own: GET /api/health on the
 * production server (the floor of any route handler), and the same two handler
 * functions behind a plain node:http server (bench/lib/bare-server.ts).
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { makeDiff, recreateDatabase, serverEnv, serverUrl, pointAtServerDatabase } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startBareServer, startServer, type BenchServer } from "./lib/server";
import { closedLoop } from "./lib/stats";

const DB = "nexus_bench_submit";
const PORT = Number(process.env.BENCH_PORT || 3401);
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const LEVELS = [1, 8, 32, 128];
const POOL = 10;

export async function benchSubmit() {
  await ensureBuild();
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  await getDatabase(); // migrate
  const { key } = await createApiKey({ name: "bench-agent", role: "agent" });
  await closeDatabase();

  const diffs = Array.from({ length: 50 }, (_, i) => makeDiff(2048 + ((i * 7919) % 18432), i));
  const server = await startServer(PORT, { ...serverEnv(DB), NEXUS_DB_POOL_MAX: String(POOL) });
  const raw = postgres(serverUrl(DB), { max: POOL, onnotice: () => {} });
  const rows: Record<string, string | number>[] = [];
  const results = [];
  let bare: BenchServer | undefined;
  try {
    bare = await startBareServer(PORT + 50, { ...serverEnv(DB), NEXUS_DB_POOL_MAX: String(POOL) });
    const bareUrl = bare.url;
    // warm-up, both servers
    for (const url of [server.url, bareUrl])
      await closedLoop(
        async (w, i) => void (await post(url, key, diffs[(w + i) % diffs.length]!)),
        4,
        1500,
      );
    for (const c of LEVELS) {
      const nexus = await closedLoop(
        async (w, i) => post(server.url, key, diffs[(w * 31 + i) % diffs.length]!),
        c,
        SECONDS * 1000,
      );
      const direct = await closedLoop(
        async (w, i) => {
          const diff = diffs[(w * 31 + i) % diffs.length]!;
          await raw`INSERT INTO approval_requests (id, file_path, diff, description, agent_id, timestamp)
                    VALUES (${randomUUID()}, 'src/bench.ts', ${diff}, 'benchmark', 'bench-agent', now())`;
        },
        c,
        SECONDS * 1000,
      );
      // The floor of any route handler here: Next.js answering GET /api/health (one
      // SELECT 1) at the same concurrency, the client sharing the 2 cores.
      const floor = await closedLoop(
        async () => void (await (await fetch(`${server.url}/api/health`)).arrayBuffer()),
        c,
        SECONDS * 1000,
      );
      const bareSubmit = await closedLoop(
        async (w, i) => post(bareUrl, key, diffs[(w * 31 + i) % diffs.length]!),
        c,
        SECONDS * 1000,
      );
      const bareHealth = await closedLoop(
        async () => void (await (await fetch(`${bareUrl}/api/health`)).arrayBuffer()),
        c,
        SECONDS * 1000,
      );
      const ratio = nexus.rps / direct.rps;
      results.push({
        concurrency: c,
        nexus,
        raw: direct,
        ratio,
        empty_route: floor,
        bare_node_http: { submit: bareSubmit, health: bareHealth },
      });
      rows.push({
        concurrency: c,
        "nexus req/s": Math.round(nexus.rps),
        "nexus p50 ms": ms(nexus.latency.p50),
        "nexus p99 ms": ms(nexus.latency.p99),
        errors: nexus.errors,
        "raw rows/s": Math.round(direct.rps),
        "raw p50 ms": ms(direct.latency.p50),
        "nexus/raw": `${Math.round(ratio * 100)}%`,
        "GET /api/health req/s": Math.round(floor.rps),
        "health/raw": `${Math.round((floor.rps / direct.rps) * 100)}%`,
        "node:http submit req/s": Math.round(bareSubmit.rps),
        "node:http health req/s": Math.round(bareHealth.rps),
        goal: c === 32 ? "≥ 50% of raw, p99 ≤ 50 ms" : "",
        met:
          c === 32
            ? ratio >= 0.5 && nexus.latency.p99 <= 50 && nexus.errors === 0
              ? "yes"
              : "no"
            : "",
      });
      if (nexus.firstError) console.error(`first error at c=${c}: ${nexus.firstError}`);
      if (bareSubmit.firstError)
        console.error(`node:http: first error at c=${c}: ${bareSubmit.firstError}`);
    }
    const rss = server.rssMiB();
    printTable("Submit throughput (POST /api/v1/approvals vs raw INSERT)", rows);
    console.log(`server RSS after scenario: ${rss} MiB`);
    writeResult("submit", { seconds_per_level: SECONDS, pool: POOL, results, server_rss_mib: rss });
    return { rows, rss };
  } finally {
    await raw.end();
    await server.stop();
    await bare?.stop();
  }
}

async function post(url: string, key: string, diff: string) {
  const res = await fetch(`${url}/api/v1/approvals`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      file_path: "src/bench.ts",
      diff,
      description: "benchmark",
      agent_id: "bench-agent",
    }),
  });
  if (res.status !== 201)
    throw new Error(`status ${res.status}: ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchSubmit().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
