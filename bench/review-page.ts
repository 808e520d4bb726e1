/**
 * Benchmark — the review page in Lighthouse (issue 16, goal 5): `npm run lighthouse --
 * --desktop` (scripts/lighthouse.mjs: its own seeded server, Debian's Chromium), whose
 * goals are desktop performance ≥ 95 on an approval page with a 500-line diff and no
 * main-thread task over 100 ms; it prints each page's figures, goals marked *.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export async function benchReviewPage() {
  const out = path.join(root, "bench/results/lighthouse.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  console.log("\nThe review page in Lighthouse (desktop; npm run lighthouse -- --desktop)");
  const r = spawnSync(
    process.execPath,
    [path.join(root, "scripts/lighthouse.mjs"), "--desktop", "--json", out],
    { cwd: root, stdio: "inherit" },
  );
  console.log(
    `goal (desktop performance ≥ 95, no task > 100 ms): ${r.status === 0 ? "yes" : "no"}`,
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`lighthouse exited with ${r.status}`);
  return { rss: 0 };
}
