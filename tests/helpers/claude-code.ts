import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./run";

/*
 * The real Claude Code CLI for tests, pinned: installed on demand from the npm registry
 * into a git-ignored cache folder (.cache/claude-code/<version>, ~360 MB), never into
 * package.json's dependencies, so `npm ci` stays small. Runs `claude -p … --output-format
 * json` with HOME and the project in fresh temporary folders, talking to a local
 * stand-in for the model API (./fake-anthropic.ts) and to Nexus through hooks.
 */

export const CLAUDE_CODE_VERSION = "2.1.328";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function works(bin: string, version: string): boolean {
  if (!fs.existsSync(bin)) return false;
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 && r.stdout.startsWith(version);
}

/**
 * The `claude` binary of the pinned version, installed first if missing (under a lock,
 * so parallel test files install once). Throws with npm's output when it cannot.
 */
export async function ensureClaudeCode(version = CLAUDE_CODE_VERSION): Promise<string> {
  const dir = path.join(ROOT, ".cache", "claude-code", version);
  const bin = path.join(dir, "node_modules", ".bin", "claude");
  if (works(bin, version)) return bin;
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      let pid = 0;
      try {
        pid = Number(fs.readFileSync(path.join(lock, "pid"), "utf8").trim() || 0);
      } catch {
        /* the owner has not written its pid yet */
      }
      if (pid && !alive(pid)) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    if (works(bin, version)) return bin;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
    // the platform binary is an optional dependency: no download at install time
    const r = spawnSync(
      "npm",
      [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-audit",
        "--no-fund",
        `@anthropic-ai/claude-code@${version}`,
      ],
      { encoding: "utf8", timeout: 300_000 },
    );
    if (r.status !== 0 || !works(bin, version)) {
      throw new Error(
        `npm install @anthropic-ai/claude-code@${version} failed:\n${r.stdout}\n${r.stderr}`,
      );
    }
    return bin;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** the parsed `--output-format json` result (null when stdout was not JSON) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  result: any;
  /** the project folder Claude Code ran in (removed by cleanup()) */
  project: string;
  cleanup(): void;
}

export interface ClaudeOptions {
  bin: string;
  prompt: string;
  /** the fake model's base URL */
  modelUrl: string;
  /** written to <project>/.claude/settings.json */
  settings: unknown;
  /** extra environment (e.g. NEXUS_API_KEY) */
  env?: Record<string, string>;
  /** extra CLI arguments */
  args?: string[];
  /** files to create in the project before the run (relative path → content) */
  files?: Record<string, string>;
  /** called with the project folder before the run (e.g. to know file paths) */
  project?: string;
  timeoutMs?: number;
}

/** A fresh project folder (for options.project), so a test knows its paths beforehand. */
export function makeProject(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "nexus-cc-project-")));
}

/** Run `claude -p <prompt> --output-format json` once, in a temporary HOME and project. */
export async function runClaude(o: ClaudeOptions): Promise<ClaudeRun> {
  const project = o.project ?? makeProject();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-cc-home-"));
  fs.mkdirSync(path.join(project, ".claude"), { recursive: true });
  fs.writeFileSync(path.join(project, ".claude", "settings.json"), JSON.stringify(o.settings));
  for (const [name, content] of Object.entries(o.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), content);
  }
  const cleanup = () => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  };
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    ANTHROPIC_BASE_URL: o.modelUrl,
    ANTHROPIC_API_KEY: "sk-ant-test",
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    ...o.env,
  } as unknown as NodeJS.ProcessEnv;
  const child = spawn(o.bin, ["-p", o.prompt, "--output-format", "json", ...(o.args ?? [])], {
    cwd: project,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  let result = null;
  try {
    result = JSON.parse(stdout);
  } catch {
    /* not JSON: the caller sees stdout/stderr */
  }
  return { code, stdout, stderr, result, project, cleanup };
}

/** `.claude/settings.json` registering a Nexus http hook, as docs/agents.md shows it. */
export function hookSettings(
  url: string,
  { events = ["PreToolUse"], timeout = 60, matcher = "*" } = {},
) {
  const hook = {
    type: "http",
    url,
    headers: { Authorization: "Bearer $NEXUS_API_KEY" },
    allowedEnvVars: ["NEXUS_API_KEY"],
    timeout,
    onFailure: "block",
  };
  return {
    hooks: Object.fromEntries(events.map((e) => [e, [{ matcher, hooks: [hook] }]])),
  };
}
