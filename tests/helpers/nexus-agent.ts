import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./run";

/* Running scripts/nexus-agent.mjs (the shell CLI for agents) as a child process. */

export const AGENT_SCRIPT = path.join(ROOT, "scripts", "nexus-agent.mjs");

export interface CliRun {
  /** resolves when the process exits */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
  kill(): void;
}

/** Start the CLI (`script` defaults to the source file) with exactly `env` (plus PATH/HOME). */
export function startCli(
  args: string[],
  {
    env = {},
    cwd = ROOT,
    input,
    script = AGENT_SCRIPT,
    timeoutMs = 120_000,
  }: {
    env?: Record<string, string>;
    cwd?: string;
    input?: string;
    script?: string;
    timeoutMs?: number;
  } = {},
): CliRun {
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: os.tmpdir(),
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    },
  );
  return { done, stderr: () => stderr, kill: () => child.kill("SIGKILL") };
}

export function runCli(args: string[], options: Parameters<typeof startCli>[1] = {}) {
  return startCli(args, options).done;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function git(cwd: string, ...args: string[]) {
  const r = spawnSync(
    "git",
    ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args],
    {
      cwd,
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A temporary git repository with `files` committed. */
export function tempRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-agent-repo-"));
  git(dir, "init", "-q", "-b", "main");
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  if (Object.keys(files).length) {
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "initial");
  }
  return dir;
}
