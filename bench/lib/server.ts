import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { ensureBuild as buildIfNeeded } from "../../scripts/lib/build.mjs";

const root = path.resolve(import.meta.dirname, "../..");

export interface BenchServer {
  url: string;
  pid: number;
  /** resident memory of the server's whole process group, MiB */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Build if needed (same rule as `npm start`). */
export async function ensureBuild() {
  if (buildIfNeeded() !== 0) throw new Error("next build failed");
}

/** Start the production server in its own process group and wait for /api/health. */
export function startServer(
  port: number,
  env: Record<string, string | undefined>,
): Promise<BenchServer> {
  return start(
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    port,
    env,
  );
}

/** Nexus's submit and health handlers behind plain node:http (bench/lib/bare-server.ts). */
export function startBareServer(
  port: number,
  env: Record<string, string | undefined>,
): Promise<BenchServer> {
  return start(
    [
      path.join(root, "node_modules/tsx/dist/cli.mjs"),
      "--conditions=react-server",
      path.join(root, "bench/lib/bare-server.ts"),
    ],
    port,
    env,
  );
}

async function start(
  args: string[],
  port: number,
  env: Record<string, string | undefined>,
): Promise<BenchServer> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      PORT: String(port),
      ...env,
    } as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("server did not become healthy in 120 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid,
    rssMiB() {
      const out = execFileSync("ps", ["-o", "rss=", "-g", String(pid)], { encoding: "utf8" });
      return Math.round(out.split("\n").reduce((a, l) => a + (Number(l.trim()) || 0), 0) / 1024);
    },
    async stop() {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        return;
      }
      for (let i = 0; i < 100 && child.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* gone */
      }
    },
  };
}
