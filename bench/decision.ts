/**
 * Benchmark 2 — decision latency: 1,000 agents long-poll at once; decisions are made at
 * a steady rate, half through the API (reviewer key) and half through the domain
 * function in another process (this one), as a second Nexus process would. Measures
 * time from decision commit to each waiter's response, and the server's database
 * connections while 1,000 waits are open. Goals: p99 < 100 ms; connections ≤ pool + 1.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { makeDiff, recreateDatabase, serverEnv, serverUrl, pointAtServerDatabase } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { summarize } from "./lib/stats";

const DB = "nexus_bench_decision";
const PORT = Number(process.env.BENCH_PORT || 3402);
const WAITERS = Number(process.env.BENCH_WAITERS || 1000);
const RATE_PER_S = Number(process.env.BENCH_DECISION_RATE || 100);
const POOL = 10;

const now = () => performance.timeOrigin + performance.now();
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

export async function benchDecision() {
  await ensureBuild();
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { decideRequest } = await import("@/db/queries/request-store");
  await getDatabase();
  const agent = (await createApiKey({ name: "bench-agent", role: "agent" })).key;
  const reviewer = (await createApiKey({ name: "bench-reviewer", role: "reviewer" })).key;
  // Close this process's own Nexus connections while the server's are counted; the
  // domain-function phase below opens them again (after the counting).
  await closeDatabase();

  const raw = postgres(serverUrl(DB), {
    max: 2,
    onnotice: () => {},
    connection: { application_name: "bench" },
  });
  const ids = Array.from({ length: WAITERS }, () => randomUUID());
  const diff = makeDiff(4096);
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids
      .slice(i, i + 200)
      .map((id) => ({ id, file_path: "src/x.ts", diff, agent_id: "bench-agent" }));
    await raw`INSERT INTO approval_requests ${raw(batch)}`;
  }

  const server = await startServer(PORT, {
    ...serverEnv(DB),
    NEXUS_DB_POOL_MAX: String(POOL),
    // one agent key holds every poll here (the default allows 100 per key: 429 beyond)
    NEXUS_MAX_WAITS_PER_PRINCIPAL: String(WAITERS * 2),
  });
  try {
    const arrived = new Map<string, number>();
    const statuses = new Map<string, string>();
    let errors = 0;
    const polls = ids.map(async (id) => {
      try {
        const res = await fetch(`${server.url}/api/v1/approvals/${id}?wait=60`, {
          headers: { authorization: `Bearer ${agent}` },
        });
        const body = (await res.json()) as { status?: string };
        arrived.set(id, now());
        statuses.set(id, body.status ?? `http ${res.status}`);
      } catch {
        errors++;
      }
    });
    await sleep(3000); // let every poll reach the server and subscribe

    const connSamples: number[] = [];
    let busiest: string[] = [];
    const sampleConnections = async () => {
      const found = await raw`SELECT state, left(query, 60) AS query FROM pg_stat_activity
                               WHERE datname = ${DB} AND application_name = 'nexus'`;
      if (found.length > Math.max(0, ...connSamples))
        busiest = found.map((r) => `${r.state}: ${r.query}`);
      connSamples.push(found.length);
    };
    await sampleConnections();

    const committed = new Map<string, number>();
    const via = new Map<string, "api" | "domain">();
    const interval = 1000 / RATE_PER_S;
    const half = Math.floor(ids.length / 2);
    // phase 1: through the API (only the server's connections exist: sample them)
    for (let i = 0; i < half; i++) {
      const id = ids[i]!;
      const t0 = now();
      const res = await fetch(`${server.url}/api/v1/approvals/${id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${reviewer}` },
        body: JSON.stringify({ approved: i % 2 === 0, comment: "bench" }),
      });
      await res.arrayBuffer();
      committed.set(id, now()); // the commit happened before this response: an upper bound on commit time
      via.set(id, "api");
      if (i % 50 === 0) await sampleConnections();
      const wait = interval - (now() - t0);
      if (wait > 0) await sleep(wait);
    }
    // phase 2: through the domain function in this (second) process
    for (let i = half; i < ids.length; i++) {
      const id = ids[i]!;
      const t0 = now();
      await decideRequest("approval", {
        id,
        decision: { approved: true, comment: "bench" },
        decidedBy: "bench@example.com",
      });
      committed.set(id, now());
      via.set(id, "domain");
      const wait = interval - (now() - t0);
      if (wait > 0) await sleep(wait);
    }
    await Promise.race([Promise.all(polls), sleep(20_000)]);

    const latency = (kind: "api" | "domain") =>
      summarize(
        ids
          .filter((id) => via.get(id) === kind && arrived.has(id))
          .map((id) => Math.max(0, arrived.get(id)! - committed.get(id)!)),
      );
    const api = latency("api");
    const domain = latency("domain");
    const all = summarize(
      ids
        .filter((id) => arrived.has(id))
        .map((id) => Math.max(0, arrived.get(id)! - committed.get(id)!)),
    );
    const wrong = [...statuses.values()].filter((s) => s !== "approved" && s !== "rejected").length;
    const maxConn = Math.max(...connSamples);
    const rss = server.rssMiB();
    const rows = [
      {
        decided: "through the API",
        n: api.n,
        "p50 ms": ms(api.p50),
        "p99 ms": ms(api.p99),
        "max ms": ms(api.max),
        goal: "p99 < 100",
      },
      {
        decided: "domain fn, 2nd process",
        n: domain.n,
        "p50 ms": ms(domain.p50),
        "p99 ms": ms(domain.p99),
        "max ms": ms(domain.max),
        goal: "p99 < 100",
      },
      {
        decided: "all",
        n: all.n,
        "p50 ms": ms(all.p50),
        "p99 ms": ms(all.p99),
        "max ms": ms(all.max),
        goal: "p99 < 100",
      },
    ];
    printTable(
      `Decision latency (${WAITERS} concurrent long polls, ${RATE_PER_S} decisions/s)`,
      rows,
    );
    console.log(
      `server DB connections while waiting: max ${maxConn} (pool ${POOL} + 1 listener = ${POOL + 1}); errors ${errors}; not decided ${wrong}`,
    );
    console.log(`server RSS after scenario: ${rss} MiB`);
    if (maxConn > POOL + 1)
      console.log(`connections at the busiest sample:\n  ${busiest.join("\n  ")}`);
    writeResult("decision", {
      waiters: WAITERS,
      rate_per_s: RATE_PER_S,
      pool: POOL,
      api,
      domain,
      all,
      connections_max: maxConn,
      conn_samples: connSamples,
      errors,
      undecided: wrong,
      server_rss_mib: rss,
    });
    return { rows, maxConn, rss };
  } finally {
    await raw.end();
    const { closeDatabase } = await import("@/db/client");
    await closeDatabase();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchDecision().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
