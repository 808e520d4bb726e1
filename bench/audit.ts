/**
 * The audit log's cost on the submit path (docs/performance.md, "Audit log"): the
 * submit transaction's statements through the raw driver at c = 32, with and without
 * the audit insert, beside the design it replaced on paper (hashing inside the submit
 * transaction under one lock), and Nexus's own store (createRequest) with the sealer
 * running. Rounds alternate between variants so that a busy machine hurts them alike.
 */
import { createHash, randomUUID } from "node:crypto";
import postgres from "postgres";
import { makeDiff, pointAtServerDatabase, recreateDatabase, serverUrl } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { closedLoop } from "./lib/stats";

const DB = "nexus_bench_audit";
const SECONDS = Number(process.env.BENCH_SECONDS || 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const C = 32;
const POOL = 10;

export async function benchAudit() {
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  process.env.NEXUS_DB_POOL_MAX = String(POOL);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createRequest } = await import("@/db/queries/request-store");
  const { sealAudit, verifyAudit } = await import("@/db/queries/audit");
  const { startAuditSealer } = await import("@/server/audit-sealer");
  await getDatabase(); // migrate
  const raw = postgres(serverUrl(DB), { max: POOL, onnotice: () => {} });
  const diffs = Array.from({ length: 50 }, (_, i) => makeDiff(2048 + ((i * 7919) % 18432), i));
  const diff = (w: number, i: number) => diffs[(w * 31 + i) % diffs.length]!;

  /** The submit's statements: the row, NOTIFY, the outbox event (as createRequest does). */
  const submitTx = (d: string, extra?: (tx: postgres.TransactionSql) => Promise<unknown>) =>
    raw.begin(async (tx) => {
      const id = randomUUID();
      await tx`INSERT INTO approval_requests (id, file_path, diff, description, agent_id, timestamp, created_at)
               VALUES (${id}, 'src/bench.ts', ${d}, 'benchmark', 'bench-agent', now(), now())`;
      await tx`SELECT pg_notify('nexus_bench', ${id})`;
      await tx`INSERT INTO outbox_events (type, request_type, request_id, agent_id, payload)
               VALUES ('request.created', 'approval', ${id}, 'bench-agent', ${tx.json({ id })})`;
      if (extra) await extra(tx);
    });
  const auditInsert = (tx: postgres.TransactionSql) =>
    tx`INSERT INTO audit_log (at, event, actor, subject_type, subject_id, details)
       VALUES (now() AT TIME ZONE 'UTC', 'request.created', 'key:bench', 'approval', ${randomUUID()}, ${tx.json({ agent_id: "bench-agent" })})`;
  /** Hashing at insert: the previous hash must be final, so one lock until commit. */
  const lockedChain = async (tx: postgres.TransactionSql) => {
    await tx`SELECT pg_advisory_xact_lock(7340999)`;
    const [last] = await tx`SELECT hash FROM bench_chain ORDER BY seq DESC LIMIT 1`;
    const hash = createHash("sha256")
      .update(`${last?.hash ?? ""}${randomUUID()}`)
      .digest("hex");
    await tx`INSERT INTO bench_chain (hash) VALUES (${hash})`;
  };
  await raw`CREATE TABLE bench_chain (seq bigserial PRIMARY KEY, hash text NOT NULL)`;

  const variants: [string, (w: number, i: number) => Promise<unknown>][] = [
    ["raw submit tx, no audit", (w, i) => submitTx(diff(w, i))],
    ["raw submit tx + audit insert", (w, i) => submitTx(diff(w, i), auditInsert)],
    ["raw submit tx + hash chain under a lock", (w, i) => submitTx(diff(w, i), lockedChain)],
    [
      "Nexus createRequest (audit + sealer)",
      (w, i) =>
        createRequest("approval", {
          id: randomUUID(),
          filePath: "src/bench.ts",
          diff: diff(w, i),
          description: "benchmark",
          agentId: "bench-agent",
          timestamp: null,
          expiresInS: null,
          submittedKeyId: null,
        }),
    ],
  ];
  const sealer = startAuditSealer();
  const runs = new Map<string, { rps: number[]; p50: number[]; p99: number[]; errors: number }>();
  try {
    for (const [, op] of variants) await closedLoop(async (w, i) => void (await op(w, i)), 4, 1000); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, op] of variants) {
        const res = await closedLoop(async (w, i) => void (await op(w, i)), C, SECONDS * 1000);
        const acc = runs.get(name) ?? { rps: [], p50: [], p99: [], errors: 0 };
        acc.rps.push(res.rps);
        acc.p50.push(res.latency.p50);
        acc.p99.push(res.latency.p99);
        acc.errors += res.errors;
        if (res.firstError) console.error(`${name}: ${res.firstError}`);
        runs.set(name, acc);
      }
    }
  } finally {
    await sealer.stop();
  }
  while ((await sealAudit({ limit: 5000 })) > 0);
  const verified = await verifyAudit();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = [...runs].map(([name, v]) => ({
    variant: name,
    "req/s (median)": Math.round(median(v.rps)),
    "req/s (rounds)": v.rps.map((x) => Math.round(x)).join(" / "),
    p50: ms(median(v.p50)),
    p99: ms(median(v.p99)),
    errors: v.errors,
  }));
  printTable(`Audit log on the submit path, c = ${C}, pool ${POOL}, ${ROUNDS}×${SECONDS} s`, rows);
  console.log(
    `audit verify after the run: ${verified.checked} entries, ${verified.broken ? "BROKEN" : "intact"}`,
  );
  writeResult("audit", { rows, verified: { checked: verified.checked, ok: !verified.broken } });
  await raw.end();
  await closeDatabase();
  return { rss: Math.round(process.memoryUsage().rss / 2 ** 20) };
}
