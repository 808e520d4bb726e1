#!/usr/bin/env node
// `npm start`: build if the production build is missing or older than the sources,
// then start the server (migrations run at server start) and print the URL.
import { spawn } from "node:child_process";
import { ensureBuild, nextBin, root } from "./lib/build.mjs";

const status = ensureBuild();
if (status !== 0) process.exit(status);

const port = process.env.PORT || "3000";
const child = spawn(process.execPath, [nextBin, "start", "-p", port, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

// Announce the URL once the server answers its health check.
const url = process.env.NEXUS_PUBLIC_URL || `http://localhost:${port}`;
const started = Date.now();
const poll = async () => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    if (res.ok) {
      console.log(`\nnexus: ready at ${url}  (open it in a browser; Ctrl+C stops)\n`);
      return;
    }
  } catch {
    /* not up yet */
  }
  if (Date.now() - started < 120_000) setTimeout(poll, 300);
};
setTimeout(poll, 500);
