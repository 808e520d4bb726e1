/**
 * `npm run bench`: every benchmark in turn against a production build and the local
 * PostgreSQL server, each printing its table next to its goal and writing
 * bench/results/<name>.json. `npm run bench -- submit decision` runs a subset
 * (`-- pages status` with BENCH_REUSE_DATA=1 keeps the benchmark data set of an earlier run).
 */
import { benchAudit } from "./audit";
import { benchAgentPath } from "./agent-path";
import { benchBigDiff } from "./big-diff";
import { benchDecision } from "./decision";
import { benchLive } from "./live";
import { benchPages } from "./pages";
import { benchReviewPage } from "./review-page";
import { benchStatus } from "./status";
import { machine } from "./lib/report";
import { benchRules } from "./rules";
import { benchSubmit } from "./submit";
import { benchWebhooks } from "./webhooks";

const all: [string, () => Promise<{ rss: number }>][] = [
  ["submit", benchSubmit],
  ["rules", benchRules],
  ["agent-path", benchAgentPath],
  ["decision", benchDecision],
  ["live", benchLive],
  ["pages", benchPages],
  ["status", benchStatus],
  ["big-diff", benchBigDiff],
  ["review-page", benchReviewPage],
  ["webhooks", benchWebhooks],
  ["audit", benchAudit],
];

async function main() {
  const wanted = process.argv.slice(2);
  const m = machine();
  console.log(
    `Nexus benchmarks — ${m.date} — ${m.cpus}, ${m.memory_gib} GiB, Node ${m.node}, ${m.platform}`,
  );
  const started = Date.now();
  const memory: string[] = [];
  let failed = 0;
  for (const [name, run] of all) {
    if (wanted.length && !wanted.includes(name)) continue;
    const t0 = Date.now();
    try {
      const { rss } = await run();
      memory.push(`${name}: ${rss} MiB`);
    } catch (err) {
      failed++;
      console.error(`\n${name} FAILED: ${(err as Error)?.stack ?? err}`);
    }
    console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`\nServer RSS after each scenario: ${memory.join(", ")}`);
  console.log(`Total ${((Date.now() - started) / 60000).toFixed(1)} min`);
  process.exit(failed ? 1 : 0);
}

void main();
