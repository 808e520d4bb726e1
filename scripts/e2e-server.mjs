#!/usr/bin/env node
// Playwright's web server: a production build on a fresh embedded database, seeded.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = process.env.E2E_PORT || "3210";
const dataDir = path.join(root, ".nexus", `e2e-${port}`);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(`${dataDir}.lock`, { force: true });

const env = {
  ...process.env,
  NEXUS_DATA_DIR: dataDir,
  PORT: port,
  LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  // edge-case requests (large diffs, XSS text) with fixed ids, already decided
  NEXUS_SEED_BIG: process.env.NEXUS_SEED_BIG || "1",
  // every spec signs in from 127.0.0.1: the per-address limit (20 per 5 minutes by
  // default) would refuse the suite's own sign-ins; the limiter has its own tests
  NEXUS_SIGN_IN_RATE_MAX: process.env.NEXUS_SIGN_IN_RATE_MAX || "1000",
};
for (const k of ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "NEXUS_DB"])
  delete env[k];

const tsx = path.join(root, "node_modules/.bin/tsx");
const seed = spawnSync(tsx, ["--conditions=react-server", "scripts/seed.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (seed.status !== 0) process.exit(seed.status ?? 1);

// Known accounts for e2e/fixtures.ts (one per role), created with the admin CLI.
const known = JSON.parse(fs.readFileSync(path.join(root, "e2e/users.json"), "utf8"));
for (const [role, email] of Object.entries(known.users)) {
  const r = spawnSync(
    tsx,
    [
      "--conditions=react-server",
      "scripts/cli.ts",
      "user",
      "create",
      "--email",
      email,
      "--role",
      role,
      "--password-stdin",
    ],
    { cwd: root, env, stdio: ["pipe", "inherit", "inherit"], input: known.password },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// An agent key for a caller that submits requests once the server runs (npm run
// lighthouse): the embedded database is the server's alone after it starts.
if (process.env.E2E_AGENT_KEY_FILE) {
  const r = spawnSync(
    tsx,
    [
      "--conditions=react-server",
      "scripts/cli.ts",
      "key",
      "create",
      "--name",
      "e2e-agent",
      "--role",
      "agent",
    ],
    { cwd: root, env, encoding: "utf8" },
  );
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(r.status ?? 1);
  }
  fs.writeFileSync(process.env.E2E_AGENT_KEY_FILE, r.stdout.trim().split("\n").pop() ?? "", {
    mode: 0o600,
  });
}

const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
