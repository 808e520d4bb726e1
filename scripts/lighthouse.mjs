/*
 * `npm run lighthouse` (plain Node, not tsx: Lighthouse sends functions of its own to the
 * page, and tsx would add helpers to them that the page does not have): Lighthouse on
 * three pages of a fresh, seeded Nexus, signed in as a reviewer: the inbox, a seeded
 * pending approval, and a pending approval with a 500-line diff in 4 files (submitted
 * through the API at start). Two profiles: mobile (Lighthouse's default: a mid-range
 * phone, 4x CPU slowdown, slow 4G, simulated) and desktop (its desktop config: no CPU
 * slowdown, fast network). Offline: the production build on this machine, Debian's
 * Chromium (CHROMIUM_PATH), nothing fetched from the internet.
 *
 *   npm run lighthouse                 # both profiles; exit 1 when a goal is missed
 *   npm run lighthouse -- --mobile     # one profile (or --desktop)
 *   npm run lighthouse -- --min 90     # another threshold (default 95)
 *   npm run lighthouse -- --runs 5     # median of 5 runs per page (default 3)
 *   npm run lighthouse -- --json out.json   # the scores
 *   npm run lighthouse -- --save dir        # the full reports (the median run's)
 *
 * Goals checked (issues 13 and 16): performance and accessibility >= --min on every
 * page, and on desktop no main-thread task longer than 100 ms (Lighthouse's long-tasks
 * audit, in the profile's simulated time) in the median run.
 *
 * The server is scripts/e2e-server.mjs (build if needed, seed, known accounts) on a free port.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

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
/** the longest main-thread task a page may have (issue 16), in the profile's time */
const MAX_TASK_MS = 100;
const PROFILES = args.includes("--mobile")
  ? ["mobile"]
  : args.includes("--desktop")
    ? ["desktop"]
    : ["mobile", "desktop"];

/**
 * A realistic 500-line change in 4 TypeScript files (200, 150, 100 and 50 diff lines):
 * hunks of context, removed and added lines, as an agent would submit.
 * @returns {string}
 */
function diff500() {
  const parts = [];
  [200, 150, 100, 50].forEach((lines, f) => {
    const file = `src/server/handlers/route-${f}.ts`;
    parts.push(
      `diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n`,
    );
    for (let h = 0; h < lines / 25; h++) {
      // 25 lines: 5 context, 8 removed, 9 added, 3 context
      const start = 1 + h * 40;
      parts.push(
        `@@ -${start},16 +${start},17 @@ export async function handler${h}(req: Request) {\n`,
      );
      for (let i = 0; i < 5; i++)
        parts.push(`   const field${i} = await readField(req, "field-${h}-${i}"); // keep\n`);
      for (let i = 0; i < 8; i++)
        parts.push(
          `-  if (!field${i % 5}) return new Response("missing field ${i}", { status: 400 });\n`,
        );
      for (let i = 0; i < 9; i++)
        parts.push(
          `+  if (!field${i % 5}) throw new HttpError(422, \`field ${i} is required (\${req.url})\`);\n`,
        );
      for (let i = 0; i < 3; i++) parts.push(`   log.debug({ handler: ${h}, step: ${i} });\n`);
    }
  });
  return parts.join("");
}

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
  const keyFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "nexus-lighthouse-")),
    "agent-key",
  );
  const server = spawn(process.execPath, [path.join(root, "scripts/e2e-server.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      E2E_PORT: String(port),
      LOG_LEVEL: "warn",
      E2E_AGENT_KEY_FILE: keyFile,
    },
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
  process.on("exit", () => {
    stop();
    fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
  });
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

    // the 500-line diff, pending, submitted as an agent would
    const submitted = await fetch(`${base}/api/v1/approvals`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${fs.readFileSync(keyFile, "utf8").trim()}`,
      },
      body: JSON.stringify({
        file_path: "src/server/handlers/route-0.ts",
        description: "Validate every handler's fields with HttpError (500 diff lines, 4 files).",
        diff: diff500(),
        agent_id: "lighthouse-agent",
      }),
    });
    if (!submitted.ok)
      throw new Error(`submit failed: ${submitted.status} ${await submitted.text()}`);
    const big = /** @type {{ id: string }} */ (await submitted.json()).id;

    chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    const pages = [
      { name: "inbox", url: `${base}/` },
      { name: "approval", url: `${base}${approval}` },
      { name: "diff-500", url: `${base}/approvals/${big}` },
    ];
    /** @type {Record<string, Record<string, Record<string, number>>>} */
    const results = {};
    let failed = false;
    for (const profile of PROFILES) {
      results[profile] = {};
      console.log(
        `${profile} (load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`,
      );
      for (const p of pages) {
        // one warm-up load: the first request of a page compiles nothing in production, but
        // the database and the server's caches start cold
        await fetch(p.url, { headers: { cookie } });
        // RUNS runs, the median by performance score (Lighthouse's advice for variance;
        // this machine is often shared, and simulated throttling scales measured CPU time)
        const runs = [];
        for (let i = 0; i < RUNS; i++) {
          const run = await lighthouse(
            p.url,
            {
              port: chrome.port,
              output: "json",
              logLevel: "error",
              onlyCategories: [...CATEGORIES],
              extraHeaders: { Cookie: cookie },
            },
            profile === "desktop" ? desktopConfig : undefined,
          );
          if (!run) throw new Error(`no Lighthouse result for ${p.url}`);
          runs.push(run.lhr);
        }
        const perf = (/** @type {any} */ r) => r.categories.performance?.score ?? 0;
        /** the longest main-thread task of a run, ms (simulated under the profile's throttling) */
        const longest = (/** @type {any} */ r) =>
          Math.round(
            Math.max(0, ...(r.audits["long-tasks"]?.details?.items ?? []).map((t) => t.duration)),
          );
        runs.sort((a, b) => perf(a) - perf(b));
        const lhr = runs[Math.floor(runs.length / 2)];
        if (SAVE) {
          fs.mkdirSync(SAVE, { recursive: true });
          fs.writeFileSync(path.join(SAVE, `${profile}-${p.name}.json`), JSON.stringify(lhr));
        }
        const row = (results[profile][p.name] = {});
        for (const c of CATEGORIES) {
          const score = Math.round((lhr.categories[c]?.score ?? 0) * 100);
          row[c] = score;
          if (score < MIN) failed = true;
        }
        row.longestTaskMs = longest(lhr);
        row.totalBlockingTimeMs = Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0);
        // issue 16's limit is for the desktop profile; mobile's 4x simulated slowdown makes
        // a 25 ms task 100 ms (printed, counted in its total blocking time)
        if (profile === "desktop" && row.longestTaskMs > MAX_TASK_MS) failed = true;
        const flagged = Object.values(lhr.audits)
          .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative")
          .map((a) => `${a.id} (${a.displayValue ?? a.score})`);
        console.log(
          `  ${p.name.padEnd(9)} performance ${row.performance}  accessibility ${row.accessibility}` +
            `  LCP ${lhr.audits["largest-contentful-paint"]?.displayValue ?? "?"}` +
            `  TBT ${lhr.audits["total-blocking-time"]?.displayValue ?? "?"}` +
            `  CLS ${lhr.audits["cumulative-layout-shift"]?.displayValue ?? "?"}` +
            `  longest task ${row.longestTaskMs} ms` +
            `  (median of ${RUNS}; performance ${runs.map((r) => Math.round(perf(r) * 100)).join(", ")};` +
            ` longest task ${runs.map(longest).join(", ")} ms)`,
        );
        if (flagged.length) console.log(`            flagged: ${flagged.join(", ")}`);
      }
    }
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
    if (failed) {
      console.error(`below ${MIN} or a task over ${MAX_TASK_MS} ms somewhere`);
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
