/**
 * Benchmark 3 — live inbox latency: with the inbox open in Chromium, an agent submits
 * a request through the API; time from the POST being sent to the row being visible
 * (seen by a MutationObserver in the page). 100 submissions, p50/p99. Goal: < 100 ms.
 */
import { recreateDatabase, serverEnv, pointAtServerDatabase, makeDiff } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { cookiesFor, launchChromium } from "./lib/browser";
import { reviewerCookie } from "./lib/session";
import { summarize } from "./lib/stats";

const DB = "nexus_bench_live";
const PORT = Number(process.env.BENCH_PORT || 3404);
const N = Number(process.env.BENCH_LIVE_N || 100);

export async function benchLive() {
  await ensureBuild();
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  const { createApiKey } = await import("@/db/queries/api-keys");
  await getDatabase();
  const { key } = await createApiKey({ name: "bench-live-agent", role: "agent" });
  const server = await startServer(PORT, serverEnv(DB));
  const browser = await launchChromium();
  try {
    const cookie = await reviewerCookie(server.url);
    const context = await browser.newContext();
    await context.addCookies(cookiesFor(server.url, cookie));
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByText("Live", { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __seen: Record<string, number> };
      w.__seen = {};
      new MutationObserver(() => {
        // the inbox's row links (cheap to scan; innerText would force a layout per mutation)
        for (const a of document.querySelectorAll("a[data-inbox-link]")) {
          const m = /bench-live-(\d+)\.ts/.exec(a.textContent ?? "");
          if (m) w.__seen[m[1]!] ??= Date.now();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    const diff = makeDiff(3000);
    const samples: number[] = [];
    const posts: number[] = []; // POST round trips: a slow one means the server was busy
    let missed = 0;
    for (let i = 0; i < N; i++) {
      const t0 = Date.now();
      const res = await fetch(`${server.url}/api/v1/approvals`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ file_path: `src/bench-live-${i}.ts`, diff, agent_id: "bench-live" }),
      });
      if (res.status !== 201) throw new Error(`POST: ${res.status}`);
      posts.push(Date.now() - t0);
      const seen = await page
        .waitForFunction(
          (n) => (window as unknown as { __seen: Record<string, number> }).__seen[n],
          String(i),
          { timeout: 5000, polling: 5 },
        )
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => null);
      if (seen === null) missed++;
      else samples.push(seen - t0);
      await new Promise((r) => setTimeout(r, 150)); // one submission at a time, as an agent would
    }
    const s = summarize(samples);
    const rss = server.rssMiB();
    const rows = [
      {
        submissions: N,
        seen: s.n,
        missed,
        "p50 ms": ms(s.p50),
        "p99 ms": ms(s.p99),
        "max ms": ms(s.max),
        goal: "< 100",
      },
    ];
    printTable("Live inbox: POST sent → row visible in an open inbox (Chromium)", rows);
    console.log(`server RSS after scenario: ${rss} MiB`);
    writeResult("live", {
      n: N,
      latency: s,
      missed,
      server_rss_mib: rss,
      samples_ms: samples,
      post_ms: posts,
    });
    return { rows, rss };
  } finally {
    await browser.close();
    await closeDatabase();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchLive().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
