// Build the production bundle when it is missing or older than the sources.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

const SOURCES = [
  "app",
  "components",
  "lib",
  "server",
  "proxy.ts",
  "db",
  "public",
  "drizzle",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p))
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function needsBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** Returns the build's exit status (0 when nothing needed doing). */
export function ensureBuild() {
  if (!needsBuild()) return 0;
  console.log("nexus: building the production bundle (first start or changed sources)…");
  const r = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  return r.status ?? 1;
}
