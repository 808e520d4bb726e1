import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * A second Nexus server for specs that need their own database (first-run setup needs
 * one with no users): the same production build, a fresh embedded data folder, a free
 * port. Started with setsid-like detachment so its whole process group can be stopped.
 */
const ROOT = path.resolve(__dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface SpawnedServer {
  baseURL: string;
  port: number;
  /** what the server printed on stdout so far (the first-run setup token, for one) */
  stdout(): string;
  stop(): Promise<void>;
}

export async function startFreshServer(): Promise<SpawnedServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-e2e-fresh-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    NEXUS_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  };
  for (const k of ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "NEXUS_DB"])
    delete env[k];
  delete env.NEXUS_PUBLIC_URL;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout?.on("data", (d) => (stdout += d));
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const baseURL = `http://localhost:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fresh server exited: ${stderr}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`fresh server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseURL,
    port,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once("exit", r));
        process.kill(-child.pid, "SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.lock`, { force: true });
    },
  };
}
