/**
 * Benchmark — submit throughput with 3 active webhooks (standard, slack, ntfy; local
 * receivers answering at once) vs none, on the production server and the local
 * PostgreSQL server. The outbox row is written in the submit's transaction; delivery
 * runs beside it in the same process. Goal: webhooks slow submission by ≤ 10%.
 * Rounds alternate (none, webhooks, none, webhooks…) so a shared, loaded machine's
 * drift hits both sides alike; the medians of the rounds are compared.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { makeDiff, recreateDatabase, serverEnv, pointAtServerDatabase } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { closedLoop } from "./lib/stats";

const DB = "nexus_bench_webhooks";
const PORT = Number(process.env.BENCH_PORT || 3451);
const SECONDS = Number(process.env.BENCH_SECONDS || 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const CONCURRENCY = 8;
const POOL = 10;

function receiver(): Promise<{ url: string; count: () => number; close: () => void }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      n++;
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        count: () => n,
        close: () => server.close(),
      }),
    ),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchWebhooks() {
  await ensureBuild();
  await recreateDatabase(DB);
  pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { createWebhook } = await import("@/db/queries/webhooks");
  const { newWebhookSecret } = await import("@/lib/notify/webhook-format");
  const { sql } = await import("drizzle-orm");
  const { db } = await getDatabase(); // migrate
  const { key } = await createApiKey({ name: "bench-agent", role: "agent" });
  const receivers = await Promise.all([receiver(), receiver(), receiver()]);
  const formats = ["standard", "slack", "ntfy"] as const;
  for (const [i, r] of receivers.entries())
    await createWebhook({
      url: `${r.url}/hook`,
      format: formats[i]!,
      events: ["request.created"],
      agentId: null,
      kind: null,
      secret: newWebhookSecret(),
      createdBy: "bench",
    });
  const setHooks = (on: boolean) =>
    db.execute(
      on
        ? sql`UPDATE webhooks SET disabled_at = NULL`
        : sql`UPDATE webhooks SET disabled_at = now() AT TIME ZONE 'UTC', disabled_reason = 'bench'`,
    );

  const diffs = Array.from({ length: 50 }, (_, i) => makeDiff(2048 + ((i * 7919) % 18432), i));
  const server = await startServer(PORT, { ...serverEnv(DB), NEXUS_DB_POOL_MAX: String(POOL) });
  const rows: Record<string, string | number>[] = [];
  const runs: { webhooks: boolean; rps: number; p50: number; p99: number; errors: number }[] = [];
  try {
    await closedLoop(async (w, i) => post(server.url, key, diffs[(w + i) % 50]!), 4, 1500);
    for (let round = 0; round < ROUNDS; round++) {
      for (const on of [false, true]) {
        await setHooks(on);
        const r = await closedLoop(
          async (w, i) => post(server.url, key, diffs[(w * 31 + i) % 50]!),
          CONCURRENCY,
          SECONDS * 1000,
        );
        runs.push({
          webhooks: on,
          rps: r.rps,
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors,
        });
        rows.push({
          round: round + 1,
          webhooks: on ? "3 active" : "none",
          "submit req/s": Math.round(r.rps),
          "p50 ms": ms(r.latency.p50),
          "p99 ms": ms(r.latency.p99),
          errors: r.errors,
        });
        if (r.firstError) console.error(`first error: ${r.firstError}`);
      }
    }
    // the worker drains the backlog: every delivery arrives, none twice
    const drainStart = Date.now();
    const backlog = async () => {
      const [row] = (await db.execute(
        sql`SELECT (SELECT count(*) FROM outbox_events WHERE dispatched_at IS NULL)::int
                 + (SELECT count(*) FROM outbox_deliveries WHERE status = 'pending')::int AS n`,
      )) as unknown as { n: number }[];
      return Number(row?.n ?? 0);
    };
    while ((await backlog()) > 0 && Date.now() - drainStart < 120_000)
      await new Promise((r) => setTimeout(r, 200));
    const [expected] = (await db.execute(
      sql`SELECT count(*)::int AS n FROM outbox_deliveries WHERE status = 'delivered'`,
    )) as unknown as { n: number }[];
    const delivered = receivers.reduce((s, r) => s + r.count(), 0);
    const none = median(runs.filter((r) => !r.webhooks).map((r) => r.rps));
    const hooks = median(runs.filter((r) => r.webhooks).map((r) => r.rps));
    const slowdown = 1 - hooks / none;
    rows.push({
      round: "median",
      webhooks: `${Math.round(none)} → ${Math.round(hooks)} req/s`,
      "submit req/s": `${(slowdown * 100).toFixed(1)}% slower`,
      "p50 ms": "",
      "p99 ms": "",
      errors: `goal ≤ 10%`,
    });
    const rss = server.rssMiB();
    printTable(
      `Submit throughput with 3 webhooks vs none (c=${CONCURRENCY}, ${SECONDS} s × ${ROUNDS} rounds each)`,
      rows,
    );
    console.log(
      `deliveries: ${delivered} of ${expected?.n ?? 0} arrived (drained ${((Date.now() - drainStart) / 1000).toFixed(1)} s after the last round)`,
    );
    writeResult("webhooks", {
      seconds_per_round: SECONDS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      runs,
      median_rps: { none, webhooks: hooks },
      slowdown,
      deliveries: { expected: expected?.n ?? 0, delivered },
      server_rss_mib: rss,
    });
    return { rows, rss };
  } finally {
    await server.stop();
    for (const r of receivers) r.close();
    await closeDatabase();
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
