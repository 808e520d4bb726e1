/**
 * Benchmark 5 — big diffs in the browser: 1,000 / 5,000 / 20,000 / 200,000-line diffs
 * on the review page in Chromium: time to the first hunk visible, time until the page
 * is interactive (load event, then the main thread free for a frame), and whether the
 * tab survives. Goals: first screen < 1 s at 20,000 lines; no crash at 200,000.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { recreateDatabase, serverEnv, serverUrl, pointAtServerDatabase } from "./lib/db";
import { ms, printTable, writeResult } from "./lib/report";
import { ensureBuild, startServer } from "./lib/server";
import { cookiesFor, launchChromium } from "./lib/browser";
import { reviewerCookie } from "./lib/session";

const DB = "nexus_bench_diffs";
const PORT = Number(process.env.BENCH_PORT || 3405);
const SIZES = [1_000, 5_000, 20_000, 200_000];
const RUNS = Number(process.env.BENCH_DIFF_RUNS || 3);

/** A multi-file diff of about `lines` lines; the first hunk holds a marker line. */
function bigDiff(lines: number): string {
  const out: string[] = [];
  const files = Math.max(1, Math.round(lines / 2000));
  const perFile = Math.ceil(lines / files);
  for (let f = 0; f < files; f++) {
    out.push(`--- a/src/big/file_${f}.ts`, `+++ b/src/big/file_${f}.ts`);
    for (let h = 0; h * 10 < perFile; h++) {
      const start = 1 + h * 20;
      out.push(`@@ -${start},8 +${start},9 @@`);
      out.push(`   const a${h} = load(${h});`, `   const b${h} = a${h} * 2;`, `-  emit(b${h});`);
      out.push(
        f === 0 && h === 0
          ? `+  emit(b${h}, "FIRST_HUNK_MARKER");`
          : `+  emit(b${h}, { traced: true });`,
      );
      out.push(
        `+  audit(b${h});`,
        `   return b${h};`,
        `   }`,
        ``.padStart(1, " "),
        `   // end ${h}`,
      );
    }
  }
  return out.join("\n") + "\n";
}

export async function benchBigDiff() {
  await ensureBuild();
  await recreateDatabase(DB);
  await pointAtServerDatabase(DB);
  const { getDatabase, closeDatabase } = await import("@/db/client");
  await getDatabase();
  const sql = postgres(serverUrl(DB), { max: 1, onnotice: () => {} });
  const ids: Record<number, string> = {};
  for (const n of SIZES) {
    ids[n] = randomUUID();
    await sql`INSERT INTO approval_requests (id, file_path, diff, description, agent_id)
              VALUES (${ids[n]!}, ${`src/big/${n}-lines.ts`}, ${bigDiff(n)}, ${`${n}-line diff`}, 'bench-big')`;
  }
  await sql.end();
  const server = await startServer(PORT, serverEnv(DB));
  const browser = await launchChromium();
  try {
    const cookie = await reviewerCookie(server.url);
    const rows = [];
    const results: Record<number, unknown> = {};
    for (const n of SIZES) {
      const firsts: number[] = [];
      const interactives: number[] = [];
      let crashed = false;
      let heapMiB = 0;
      for (let r = 0; r < RUNS && !crashed; r++) {
        const context = await browser.newContext();
        await context.addCookies(cookiesFor(server.url, cookie));
        const page = await context.newPage();
        page.on("crash", () => (crashed = true));
        const t0 = Date.now();
        try {
          await page.goto(`${server.url}/approvals/${ids[n]}`, {
            waitUntil: "commit",
            timeout: 60_000,
          });
          await page
            .getByText("FIRST_HUNK_MARKER")
            .first()
            .waitFor({ state: "visible", timeout: 60_000 });
          firsts.push(Date.now() - t0);
          await page.waitForLoadState("load", { timeout: 120_000 });
          await page.evaluate(
            () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0))),
          );
          await page
            .getByRole("button", { name: "Approve" })
            .waitFor({ state: "visible", timeout: 60_000 });
          interactives.push(Date.now() - t0);
          heapMiB = Math.round(
            ((await page.evaluate(
              () =>
                (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
                  ?.usedJSHeapSize ?? 0,
            )) as number) /
              2 ** 20,
          );
        } catch (err) {
          if (!crashed) console.error(`${n} lines, run ${r + 1}: ${String(err).split("\n")[0]}`);
          crashed ||= page.isClosed();
        }
        await context.close();
      }
      const med = (xs: number[]) =>
        xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN;
      results[n] = {
        first_hunk_ms: firsts,
        interactive_ms: interactives,
        crashed,
        js_heap_mib: heapMiB,
      };
      rows.push({
        lines: n,
        "first hunk ms (median)": ms(med(firsts)),
        "interactive ms (median)": ms(med(interactives)),
        "JS heap MiB": heapMiB,
        "tab survived": crashed ? "NO" : "yes",
        goal: n === 20_000 ? "first < 1000" : n === 200_000 ? "no crash" : "—",
      });
    }
    const rss = server.rssMiB();
    printTable(`Big diffs in Chromium (median of ${RUNS})`, rows);
    console.log(`server RSS after scenario: ${rss} MiB`);
    writeResult("big-diff", { runs: RUNS, results, server_rss_mib: rss });
    return { rows, rss };
  } finally {
    await browser.close();
    await closeDatabase();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchBigDiff().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
