/**
 * Benchmark — submit throughput with 3 active webhooks (standard, slack, ntfy; local
 * receivers answering at once) vs none, on the production server and the local
 * PostgreSQL server. The outbox row is written in the submit's transaction; delivery
 * runs beside it in the same process. Goal: webhooks slow submission by ≤ 10%.
 * Rounds alternate (none, webhooks, none, webhooks…) so a shared, loaded machine's
 * drift hits both sides alike; the medians of the rounds are compared. After each round
 * with webhooks the backlog (undispatched events, pending deliveries) must drain within
 * DRAIN_LIMIT_MS, progress printed; every submit of those rounds must reach each of the
 * three receivers exactly once.
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
const CONCURRENCY = 32;
/** the backlog must be empty this long after a round at the latest */
const DRAIN_LIMIT_MS = Number(process.env.BENCH_DRAIN_LIMIT_S || 60) * 1000;
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
  await pointAtServerDatabase(DB);
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
    const backlog = async () => {
      const [row] = (await db.execute(
        sql`SELECT (SELECT count(*) FROM outbox_events WHERE dispatched_at IS NULL)::int AS events,
                   (SELECT count(*) FROM outbox_deliveries WHERE status = 'pending')::int AS deliveries`,
      )) as unknown as { events: number; deliveries: number }[];
      return { events: Number(row?.events ?? 0), deliveries: Number(row?.deliveries ?? 0) };
    };
    const delivered = () => receivers.reduce((s, r) => s + r.count(), 0);
    /** wait for an empty backlog, printing progress every 2 s; the time it took (ms) */
    const drain = async (label: string) => {
      const t0 = Date.now();
      let shown = t0;
      for (;;) {
        const b = await backlog();
        if (b.events + b.deliveries === 0) return Date.now() - t0;
        if (Date.now() - t0 > DRAIN_LIMIT_MS)
          throw new Error(
            `${label}: backlog not empty ${DRAIN_LIMIT_MS / 1000} s after the round: ${b.events} events, ${b.deliveries} deliveries`,
          );
        if (Date.now() - shown >= 2000) {
          shown = Date.now();
          console.log(
            `  ${label}: draining ${((shown - t0) / 1000).toFixed(0)} s: ${b.events} events to dispatch, ${b.deliveries} deliveries pending, ${delivered()} delivered`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await setHooks(false); // the warm-up's events go nowhere
    await closedLoop(async (w, i) => post(server.url, key, diffs[(w + i) % 50]!), 4, 1500);
    await drain("warm-up");
    let submittedWithHooks = 0;
    const drains: number[] = [];
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
        // drained after every round: an event still undispatched when the webhooks are
        // switched would be delivered (or not) by the other side's state
        const drained = await drain(`round ${round + 1}${on ? "" : " (none)"}`);
        if (on) {
          submittedWithHooks += r.latency.n;
          drains.push(drained);
        }
        rows.push({
          round: round + 1,
          webhooks: on ? "3 active" : "none",
          "submit req/s": Math.round(r.rps),
          "p50 ms": ms(r.latency.p50),
          "p99 ms": ms(r.latency.p99),
          errors: r.errors,
          "drained in s": on ? (drains.at(-1)! / 1000).toFixed(1) : "",
        });
        if (r.firstError) console.error(`first error: ${r.firstError}`);
      }
    }
    const [expected] = (await db.execute(
      sql`SELECT count(*)::int AS n FROM outbox_deliveries WHERE status = 'delivered'`,
    )) as unknown as { n: number }[];
    const arrived = delivered();
    const none = median(runs.filter((r) => !r.webhooks).map((r) => r.rps));
    const hooks = median(runs.filter((r) => r.webhooks).map((r) => r.rps));
    const slowdown = 1 - hooks / none;
    rows.push({
      round: "median",
      webhooks: `${Math.round(none)} → ${Math.round(hooks)} req/s`,
      "submit req/s": `${(slowdown * 100).toFixed(1)}% slower`,
      "p50 ms": "",
      "p99 ms": "",
      errors: `goal ≤ 10%: ${slowdown <= 0.1 ? "yes" : "NO"}`,
      "drained in s": `max ${(Math.max(...drains) / 1000).toFixed(1)}`,
    });
    const rss = server.rssMiB();
    printTable(
      `Submit throughput with 3 webhooks vs none (c=${CONCURRENCY}, ${SECONDS} s × ${ROUNDS} rounds each)`,
      rows,
    );
    const want = submittedWithHooks * receivers.length;
    console.log(
      `every event delivered: ${arrived === want && Number(expected?.n) === want ? "yes" : "NO"} — ${arrived} arrived at the receivers, ${expected?.n ?? 0} recorded delivered, ${want} expected (${submittedWithHooks} submits × ${receivers.length} webhooks); backlog empty after each round within ${(Math.max(...drains) / 1000).toFixed(1)} s (limit ${DRAIN_LIMIT_MS / 1000} s)`,
    );
    writeResult("webhooks", {
      seconds_per_round: SECONDS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      runs,
      median_rps: { none, webhooks: hooks },
      slowdown,
      deliveries: { expected: want, recorded: expected?.n ?? 0, arrived },
      drain_ms: drains,
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
