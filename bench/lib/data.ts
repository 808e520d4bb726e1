import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { recreateDatabase, serverEnv } from "./db";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The 100,000-request / 1,000,000-metrics-row set of `npm run bench:data` in `database`
 * on the server: generated afresh, or kept as it is with BENCH_REUSE_DATA=1 (a database
 * an earlier run filled; migrations new since then run when Nexus opens it).
 */
export async function benchDataDatabase(database: string) {
  if (process.env.BENCH_REUSE_DATA === "1") return;
  await recreateDatabase(database);
  console.log("generating 100,000 requests and 1,000,000 metrics rows…");
  const t0 = Date.now();
  const r = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "bench/data.ts"],
    {
      cwd: root,
      env: { ...process.env, ...serverEnv(database), LOG_LEVEL: "warn" },
      stdio: "inherit",
    },
  );
  if (r.status !== 0) throw new Error("bench:data failed");
  console.log(`data generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** The machine's load average over 1 / 5 / 15 minutes (other work shares it). */
export const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");
