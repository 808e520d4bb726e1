import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { closeDatabase, getDatabase } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import type { ApiKeyRole } from "@/db/schema";
import type { DbConfig } from "@/lib/env";
import { dropTestDatabase, freshTestConfig } from "./db";
import { needsBuild } from "../../scripts/lib/build.mjs";
import { baseEnv, ROOT } from "./run";

/*
 * A real Nexus server for HTTP tests: the production build (built once, under a lock,
 * when missing or older than the sources, as scripts/start.mjs decides) started with
 * scripts/start.mjs in its own process group on a given port and database.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Build once across parallel test files (a lock directory with the owner's pid). */
export async function ensureBuilt() {
  const lock = path.join(ROOT, ".nexus", "test-build.lock");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const pid = Number(fs.readFileSync(path.join(lock, "pid"), "utf8").trim() || 0);
      if (pid && !alive(pid)) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    if (needsBuild()) {
      const r = spawnSync(
        process.execPath,
        [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_ENV: "production" },
          encoding: "utf8",
        },
      );
      if (r.status !== 0) throw new Error(`next build failed:\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const DB_VARS = [
  "DATABASE_URL",
  "DB_HOST",
  "DB_PORT",
  "DB_USER",
  "DB_PASSWORD",
  "NEXUS_DB",
  "NEXUS_DATA_DIR",
];

export interface TestDatabase {
  config: DbConfig;
  /** the database variables a server process needs */
  env: Record<string, string>;
  keys: Record<string, string>;
}

/**
 * A fresh database with API keys (`{name: role}`), created in this process and closed
 * again before any server opens it (the embedded database admits one process).
 */
export async function prepareDatabase(keys: Record<string, ApiKeyRole>): Promise<TestDatabase> {
  const config = freshTestConfig();
  await getDatabase();
  const created: Record<string, string> = {};
  for (const [name, role] of Object.entries(keys))
    created[name] = (await createApiKey({ name, role })).key;
  await closeDatabase();
  const env: Record<string, string> = {};
  for (const k of DB_VARS) if (process.env[k]) env[k] = process.env[k]!;
  return { config, env, keys: created };
}

export interface TestServer {
  url: string;
  port: number;
  /** SIGTERM to the process group; resolves when the server has exited. */
  stop(): Promise<void>;
  output(): string;
}

export async function startServer(
  port: number,
  database: TestDatabase,
  extraEnv: Record<string, string> = {},
): Promise<TestServer> {
  await ensureBuilt();
  const env = {
    ...baseEnv({ ...database.env, PORT: String(port), LOG_LEVEL: "warn", ...extraEnv }),
    NEXUS_PUBLIC_URL: extraEnv.NEXUS_PUBLIC_URL ?? `http://localhost:${port}`,
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: env as unknown as NodeJS.ProcessEnv,
    detached: true, // own process group: stop() reaches next-server too
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > 90_000) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`server on ${port} did not start:\n${out}`);
    }
    await sleep(200);
  }
  return {
    url,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 8000);
      await exited;
      clearTimeout(killer);
      // next-server may outlive start.mjs by a moment: wait until the group is gone
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return;
        }
        await sleep(100);
      }
    },
  };
}

export async function removeDatabase(database: TestDatabase) {
  await dropTestDatabase(database.config);
}
