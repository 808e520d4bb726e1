#!/usr/bin/env node
// `npm test`: lint, format, typecheck, unit + integration tests on the embedded database,
// the integration tests again on a PostgreSQL server when one is configured
// (DATABASE_URL or DB_HOST), and the Playwright suite. Ends with "N passed, N failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (step) => only.length === 0 || only.includes(step);
fs.mkdirSync(path.join(root, "test-results"), { recursive: true });

const DB_VARS = ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "NEXUS_DB"];
const serverConfigured = !!(process.env.DATABASE_URL || process.env.DB_HOST);
const embeddedEnv = { ...process.env, NEXUS_TEST_DB: "embedded" };
for (const k of DB_VARS) delete embeddedEnv[k];

let passed = 0;
let failed = 0;
const summary = [];
const failures = []; // named again at the very end, where a truncated CI log still shows them

function run(label, cmd, args, env = process.env) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: r.status === 0, secs };
}

function check(label, cmd, args) {
  const { ok, secs } = run(label, cmd, args);
  if (ok) passed++;
  else failed++;
  summary.push(`${ok ? "ok  " : "FAIL"} ${label} (${secs} s)`);
}

function vitest(label, args, env) {
  const out = path.join(root, "test-results", `${label.replace(/\W+/g, "-")}.json`);
  fs.rmSync(out, { force: true });
  const { ok, secs } = run(
    label,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...args],
    env,
  );
  let p = 0;
  let f = 0;
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    p = r.numPassedTests ?? 0;
    f = r.numFailedTests ?? 0;
    for (const file of r.testResults ?? []) {
      const rel = path.relative(root, file.name ?? "");
      for (const t of file.assertionResults ?? []) {
        if (t.status === "failed") failures.push(`${label}: ${rel} › ${t.fullName}`);
      }
      const named = (file.assertionResults ?? []).some((t) => t.status === "failed");
      if (file.status === "failed" && !named) {
        failures.push(`${label}: ${rel} (${(file.message ?? "failed to load").split("\n")[0]})`);
      }
    }
    if (!ok && f === 0) f = 1; // the run failed outside any test (collection, setup)
  } else if (!ok) f = 1;
  passed += p;
  failed += f;
  summary.push(`${ok ? "ok  " : "FAIL"} ${label}: ${p} passed, ${f} failed (${secs} s)`);
}

function playwright() {
  const out = path.join(root, "test-results", "e2e.json");
  fs.rmSync(out, { force: true });
  const { ok, secs } = run(
    "e2e (Playwright, Chromium, embedded database)",
    bin("playwright"),
    ["test"],
    embeddedEnv,
  );
  let p = 0;
  let f = 0;
  let flaky = 0;
  if (fs.existsSync(out)) {
    const report = JSON.parse(fs.readFileSync(out, "utf8"));
    const s = report.stats ?? {};
    const walk = (suite, titles) => {
      const here = suite.title && suite.title !== suite.file ? [...titles, suite.title] : titles;
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          const name = `e2e: ${spec.file}:${spec.line} › ${[...here, spec.title].join(" › ")}`;
          if (t.status === "unexpected") failures.push(name);
          if (t.status === "flaky") failures.push(`${name} (passed only on retry)`);
        }
      }
      for (const child of suite.suites ?? []) walk(child, here);
    };
    for (const suite of report.suites ?? []) walk(suite, []);
    // flaky: failed, then passed on CI's one retry; counted as passed, named in the summary
    flaky = s.flaky ?? 0;
    p = (s.expected ?? 0) + flaky;
    f = s.unexpected ?? 0;
    if (!ok && f === 0) f = 1;
  } else if (!ok) f = 1;
  passed += p;
  failed += f;
  const retried = flaky ? `, ${flaky} of them only on retry (see the list above)` : "";
  summary.push(`${ok ? "ok  " : "FAIL"} e2e: ${p} passed${retried}, ${f} failed (${secs} s)`);
}

if (want("lint")) {
  check("lint (eslint)", bin("eslint"), [".", "--max-warnings=0"]);
  check("format (prettier --check)", bin("prettier"), ["--check", ".", "--log-level=warn"]);
  check("typecheck (tsc)", bin("tsc"), ["--noEmit"]);
}
if (want("unit")) vitest("unit+integration (embedded PGlite)", [], embeddedEnv);
if (want("unit") || want("server")) {
  if (serverConfigured) {
    vitest("integration (PostgreSQL server)", ["tests/integration"], {
      ...process.env,
      NEXUS_TEST_DB: "server",
    });
  } else {
    summary.push("skip integration (PostgreSQL server): set DATABASE_URL or DB_HOST to run it");
  }
}
if (want("e2e")) playwright();

console.log("\n=== summary ===");
for (const line of summary) console.log(line);
if (failures.length) {
  console.log("\nfailed (or passed only on retry):");
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
