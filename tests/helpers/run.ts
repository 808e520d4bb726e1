import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a project script (TypeScript, through tsx) as a separate process. */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
  /** written to the child's stdin, which is then closed (left open and empty if absent) */
  input?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["--conditions=react-server", path.join(ROOT, script), ...args],
      {
        cwd: ROOT,
        env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? "warn" } as unknown as NodeJS.ProcessEnv,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    if (input !== undefined) child.stdin.end(input);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** process.env without any database variables (so a child uses what we give it). */
export function baseEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = { ...process.env };
  for (const k of [
    "DATABASE_URL",
    "DB_HOST",
    "DB_PORT",
    "DB_USER",
    "DB_PASSWORD",
    "NEXUS_DB",
    "NEXUS_DATA_DIR",
  ])
    delete e[k];
  return { ...e, ...extra };
}
