import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./run";

export interface RunningServer {
  url: string;
  pid: number;
  exited: Promise<number | null>;
  output(): string;
  signal(sig: NodeJS.Signals): void;
  /** Kill the whole process group (cleanup). */
  kill(): void;
}

/**
 * `npm start` as an operator runs it (scripts/start.mjs: builds when the build is
 * missing or stale, then `next start`), in its own process group.
 */
export async function startServer(
  port: number,
  env: Record<string, string | undefined>,
  timeoutMs = 600_000,
): Promise<RunningServer> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    pid: child.pid!,
    exited,
    output: () => out,
    signal: (sig) => child.kill(sig),
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  server.kill();
  throw new Error(`server on ${url} did not become healthy:\n${out.slice(-3000)}`);
}
