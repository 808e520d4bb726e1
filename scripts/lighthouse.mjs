/*
 * `npm run lighthouse` (plain Node, not tsx: Lighthouse sends functions of its own to the
 * page, and tsx would add helpers to them that the page does not have): Lighthouse (mobile profile, its default: a mid-range phone on a
 * throttled network, simulated) on the inbox and an approval page of a fresh, seeded
 * Nexus, signed in as a reviewer. Offline: the production build on this machine,
 * Debian's Chromium (CHROMIUM_PATH), nothing fetched from the internet.
 *
 *   npm run lighthouse                 # scores; exit 1 below 95 (performance, accessibility)
 *   npm run lighthouse -- --min 90     # another threshold
 *   npm run lighthouse -- --runs 5     # median of 5 runs per page (default 3)
 *   npm run lighthouse -- --json out.json   # the scores
 *   npm run lighthouse -- --save dir        # the full reports
 *
 * The server is scripts/e2e-server.mjs (build if needed, seed, known accounts) on a free port.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const MIN = Number(flag("--min") ?? 95);
const JSON_OUT = flag("--json");
const RUNS = Math.max(1, Number(flag("--runs") ?? 3));
/** a directory for the full reports (Lighthouse JSON, one per page) */
const SAVE = flag("--save");
const CATEGORIES = ["performance", "accessibility"];

/** @returns {Promise<number>} */
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHealth(base, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${base}/api/health`);
}

async function main() {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = spawn(process.execPath, [path.join(root, "scripts/e2e-server.mjs")], {
    cwd: root,
    env: { ...process.env, E2E_PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true, // its own process group: the server and its children stop together
  });
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  /** @type {chromeLauncher.LaunchedChrome | undefined} */
  let chrome;
  try {
    await waitForHealth(base, 600_000);

    const known = JSON.parse(fs.readFileSync(path.join(root, "e2e/users.json"), "utf8"));
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: known.users.reviewer, password: known.password }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    // a pending approval of the seed, from the inbox's links
    const inbox = await (await fetch(base, { headers: { cookie } })).text();
    const approval = /href="(\/approvals\/[0-9a-f-]{36})"/.exec(inbox)?.[1];
    if (!approval) throw new Error("no pending approval in the seeded inbox");

    chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    const pages = [
      { name: "inbox", url: `${base}/` },
      { name: "approval", url: `${base}${approval}` },
    ];
    /** @type {Record<string, Record<string, number>>} */
    const results = {};
    let failed = false;
    for (const p of pages) {
      // one warm-up load: the first request of a page compiles nothing in production, but
      // the database and the server's caches start cold
      await fetch(p.url, { headers: { cookie } });
      // RUNS runs, the median by performance score (Lighthouse's advice for variance;
      // this machine is often shared, and simulated throttling scales measured CPU time)
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await lighthouse(p.url, {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: [...CATEGORIES],
          extraHeaders: { Cookie: cookie },
        });
        if (!run) throw new Error(`no Lighthouse result for ${p.url}`);
        runs.push(run.lhr);
      }
      const perf = (/** @type {any} */ r) => r.categories.performance?.score ?? 0;
      runs.sort((a, b) => perf(a) - perf(b));
      const lhr = runs[Math.floor(runs.length / 2)];
      if (SAVE) {
        fs.mkdirSync(SAVE, { recursive: true });
        fs.writeFileSync(path.join(SAVE, `${p.name}.json`), JSON.stringify(lhr));
      }
      results[p.name] = {};
      for (const c of CATEGORIES) {
        const score = Math.round((lhr.categories[c]?.score ?? 0) * 100);
        results[p.name][c] = score;
        if (score < MIN) failed = true;
      }
      const flagged = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative")
        .map((a) => `${a.id} (${a.displayValue ?? a.score})`);
      console.log(
        `${p.name.padEnd(9)} performance ${results[p.name].performance}  accessibility ${results[p.name].accessibility}` +
          `  LCP ${lhr.audits["largest-contentful-paint"]?.displayValue ?? "?"}` +
          `  TBT ${lhr.audits["total-blocking-time"]?.displayValue ?? "?"}` +
          `  CLS ${lhr.audits["cumulative-layout-shift"]?.displayValue ?? "?"}` +
          `  (median of ${RUNS}; performance ${runs.map((r) => Math.round(perf(r) * 100)).join(", ")})`,
      );
      if (flagged.length) console.log(`          flagged: ${flagged.join(", ")}`);
    }
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
    if (failed) {
      console.error(`below ${MIN} somewhere`);
      process.exitCode = 1;
    }
  } finally {
    await chrome?.kill();
    stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
