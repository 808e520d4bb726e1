#!/usr/bin/env node
/*
 * nexus-agent: ask a human through Nexus from a shell, a script or a Claude Code hook.
 *
 *   curl -fsSL "$NEXUS_URL/nexus-agent.mjs" -o nexus-agent && chmod +x nexus-agent
 *   NEXUS_URL=https://nexus.example.com NEXUS_API_KEY=nxs_… ./nexus-agent --help
 *
 * One file, no dependencies: Node >= 20, its built-in modules and the global fetch.
 *
 * Written to run as an ES module AND as a CommonJS script (no static import/export, no
 * import.meta, no top-level await): the install line saves it without an extension, and
 * Node then picks the module format from the nearest package.json. In a folder whose
 * package.json says "type": "commonjs" (what `npm init` writes today), Node 20 silently
 * runs nothing of an extensionless file written with `import` statements, exit code 0,
 * which an agent would read as "approved".
 */
"use strict";

const VERSION = "1.0.0";

/** Exit codes (documented in docs/agents.md). */
const EXIT = { APPROVED: 0, ANSWERED: 0, REJECTED: 1, EXPIRED: 2, ERROR: 3 };

const HOOK_PATH = "/api/v1/integrations/claude-code/hook";
/** Longest long poll the API allows (api.md: ?wait=0..60). */
const MAX_WAIT_S = 60;
/** Files larger than this are not diffed by claude-hook (the server shows what it can). */
const MAX_DIFF_FILE_BYTES = 8 * 1024 * 1024;

/* Node's built-ins, loaded in main() by dynamic import (valid in both module formats). */
let fs, path, os, childProcess, crypto;

class UsageError extends Error {}
/** A failure that ends the command with exit code 3 and its message on stderr. */
class Failure extends Error {}
/** The server could not be reached, or answered with a status worth retrying. */
class Unreachable extends Error {
  constructor(message, retryAfterS) {
    super(message);
    this.retryAfterS = retryAfterS;
  }
}

const HELP = {
  main: `nexus-agent ${VERSION}: ask a human through Nexus and wait for the answer.

Usage:
  nexus-agent approve <file>... [options]   a code change, reviewed as a diff
  nexus-agent ask "question" [options]      a question, answered in text or by options
  nexus-agent claude-hook [options]         Claude Code "type": "command" hook (stdin -> stdout)
  nexus-agent <command> --help              the options of a command
  nexus-agent --version

Environment:
  NEXUS_URL        the server, e.g. https://nexus.example.com (required)
  NEXUS_API_KEY    an API key with the agent role (required)
  NEXUS_AGENT_ID   default --agent-id (else "nexus-agent@<hostname>")

Exit codes: 0 approved / answered, 1 rejected, 2 expired or --timeout reached,
3 usage, configuration or connection error (message on stderr).`,

  approve: `Usage: nexus-agent approve <file>... [options]
       nexus-agent approve --diff - [options] < change.patch

Submits a code change for review and waits for the decision. The diff is what
\`git diff HEAD\` shows for the files (working tree against the last commit; files
git does not track yet are shown as new files). The git index is not touched.
All files go into one approval; its file_path is the first file ("a.ts (+2 more)").

Prints the reviewer's comment on stdout, then any inline comments, one per line:
"src/a.ts:12 (new): rename this" (new: a line of the change; old: a line as it was).
Exit 0 approved, 1 rejected (the comments say why), 2 expired, superseded or
--timeout reached, 3 error. After a rejection, send the fixed change with
--supersedes <the rejected id>: the reviewer sees what changed since.

Options:
  --diff <file|->        take the unified diff from a file or stdin instead of git
  --file-path <path>     the approval's file_path (default: from the files / the diff)
  --description <text>   why the change (shown to the reviewer)
  --agent-id <id>        default $NEXUS_AGENT_ID or nexus-agent@<hostname>
  --expires-in <time>    the request expires after this long: 90, 90s, 10m, 2h, 1d
  --timeout <time>       stop waiting after this long (exit 2; the request stays open)
  --retry-for <time>     give up when Nexus stays unreachable this long (default 5m)
  --id <uuid>            the request id (default: a new one); the same id and content
                         again picks the same request up (after a crash, a restart)
  --supersedes <uuid>    a revision of this earlier approval (same agent id); if it
                         is still pending it becomes superseded
  --json                 print the final request as JSON instead of the comment`,

  ask: `Usage: nexus-agent ask "question" [options]

Asks a person a question and waits for the answer; prints it on stdout. With
--option, the person picks (the chosen labels are printed one per line, then any
typed text). Exit 0 answered, 2 expired or --timeout reached, 3 error.

Options:
  --option <label>       an answer to choose from (repeat: 2 to 20)
  --multi                several options may be chosen
  --no-text              only the options, no typed answer
  --context-json <json>  a JSON object shown with the question
  --agent-id <id>        default $NEXUS_AGENT_ID or nexus-agent@<hostname>
  --expires-in <time>    the question expires after this long: 90, 90s, 10m, 2h, 1d
  --timeout <time>       stop waiting after this long (exit 2; the question stays open)
  --retry-for <time>     give up when Nexus stays unreachable this long (default 5m)
  --id <uuid>            the request id (default: a new one)
  --json                 print the final question as JSON`,

  "claude-hook": `Usage: nexus-agent claude-hook [options]

A Claude Code hook of "type": "command" for PreToolUse or PermissionRequest: reads
the hook's JSON on stdin, asks Nexus (POST ${HOOK_PATH}),
prints Claude Code's answer on stdout and exits 0. For Edit, MultiEdit and Write it
sends the exact diff of the file on disk (real line numbers, 3 lines of context).

It fails closed: whatever goes wrong (Nexus unreachable, a bad key, bad input) it
answers "deny" with the reason, never "allow".

Options:
  --timeout <seconds>    how long a reviewer has (default 590); keep it below the
                         hook's "timeout" in settings.json (600 recommended)
  --on-timeout deny|ask  no decision in time: deny (default) or ask in the terminal
  --agent-id <id>        default $NEXUS_AGENT_ID, else the server's choice (claude-code,
                         or the agent_id the key is bound to)
  --retry-for <time>     deny when Nexus stays unreachable this long (default 30s)
  --dry-run              print the JSON it would send, contact nobody`,
};

/* ------------------------------------------------------------------ arguments */

/**
 * Parse argv against a spec {name: "string" | "strings" | "boolean"}: --name value,
 * --name=value, repeated "strings", "--" ends options. Unknown options are errors.
 */
function parseArgs(argv, spec) {
  const options = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") {
      options.help = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const type = name === "help" ? "boolean" : spec[name];
    if (!type) throw new UsageError(`unknown option --${name}`);
    if (type === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (type === "strings") (options[name] ??= []).push(value);
    else options[name] = value;
  }
  return { options, positional };
}

/** "90", "90s", "10m", "2h", "1d" → seconds (a positive integer). */
function parseDuration(value, name) {
  const m = /^(\d+)\s*(s|m|h|d)?$/i.exec(String(value).trim());
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m?.[2] ?? "s").toLowerCase()];
  const seconds = m ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0)
    throw new UsageError(`--${name} must be a duration like 90, 90s, 10m, 2h or 1d`);
  return seconds;
}

function agentIdFrom(options) {
  return options["agent-id"] ?? process.env.NEXUS_AGENT_ID ?? `nexus-agent@${os.hostname()}`;
}

/* ------------------------------------------------------------------ HTTP */

function config() {
  const url = process.env.NEXUS_URL?.trim();
  const key = process.env.NEXUS_API_KEY?.trim();
  if (!url)
    throw new UsageError("NEXUS_URL is not set (the Nexus server, e.g. http://localhost:3000)");
  if (!key) throw new UsageError("NEXUS_API_KEY is not set (an API key with the agent role)");
  let base;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`NEXUS_URL is not a URL: ${url}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new UsageError(`NEXUS_URL must be http(s): ${url}`);
  return { base: base.href.replace(/\/+$/, ""), key };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Whether a status is worth asking again (the server restarting, overloaded, a proxy hiccup). */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * One HTTP call. Resolves {status, body} for answers that settle something; throws
 * Unreachable for connection failures, timeouts and retryable statuses.
 */
async function http(cfg, method, pathname, { body, timeoutMs = 30_000 } = {}) {
  let res;
  try {
    res = await fetch(cfg.base + pathname, {
      method,
      headers: {
        authorization: `Bearer ${cfg.key}`,
        accept: "application/json",
        "user-agent": `nexus-agent/${VERSION}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      // a redirected POST turns into a GET: better to say where the server is
      redirect: "manual",
    });
  } catch (err) {
    const cause = err?.cause?.code ?? err?.cause?.message ?? err?.name ?? String(err);
    throw new Unreachable(`cannot reach ${cfg.base} (${cause})`);
  }
  if (res.status >= 300 && res.status < 400)
    throw new Failure(
      `${cfg.base} redirects to ${res.headers.get("location") ?? "elsewhere"}: set NEXUS_URL to the address it names`,
    );
  let text;
  try {
    text = await res.text();
  } catch (err) {
    throw new Unreachable(`connection to ${cfg.base} lost (${err?.cause?.code ?? err?.name})`);
  }
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: a proxy's page; judged by status below */
  }
  if (RETRYABLE.has(res.status)) {
    const after = Number(res.headers.get("retry-after"));
    throw new Unreachable(
      `${cfg.base} answered ${res.status}${json?.error?.message ? `: ${json.error.message}` : ""}`,
      Number.isFinite(after) && after > 0 ? after : undefined,
    );
  }
  return { status: res.status, body: json };
}

/** The API's error message with its details, for stderr. */
function apiError(status, body) {
  const e = body?.error;
  if (!e) return `Nexus answered ${status}`;
  const details = Array.isArray(e.details)
    ? e.details.map((d) => `\n  ${d.path}: ${d.message}`).join("")
    : "";
  return `Nexus answered ${status} ${e.code}: ${e.message}${details}`;
}

/**
 * Call `fn` until it stops throwing Unreachable: backoff 0.5 s doubling to 10 s (or the
 * server's Retry-After). Gives up (Failure) when the outage has lasted `retryForMs` or
 * would outlast `deadline`.
 */
async function retrying(fn, { retryForMs, deadline = Infinity, onGiveUp }) {
  let outageSince = null;
  let delay = 500;
  let lastNotice = 0;
  for (;;) {
    try {
      const result = await fn();
      if (outageSince !== null) note("Nexus is reachable again.");
      return result;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      const now = Date.now();
      outageSince ??= now;
      const wait = err.retryAfterS ? Math.min(err.retryAfterS * 1000, 30_000) : delay;
      const outage = now - outageSince + wait > retryForMs;
      if (outage || now + wait > deadline)
        throw onGiveUp
          ? onGiveUp(err, outage ? "outage" : "deadline")
          : new Failure(`${err.message}; giving up`);
      if (now - lastNotice > 30_000) {
        note(`${err.message}; retrying…`);
        lastNotice = now;
      }
      await sleep(wait);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

function note(message) {
  process.stderr.write(`nexus-agent: ${message}\n`);
}

/* ------------------------------------------------------------------ submit and wait */

/**
 * Submit (idempotent: the id is chosen here, so a retry after a lost answer finds the
 * same request), then long poll until it is decided, expires, or the wait runs out.
 * Returns the request as the API shows it.
 */
async function submitAndWait(cfg, segment, input, { timeoutS, retryForS }) {
  const started = Date.now();
  const deadline = timeoutS ? started + timeoutS * 1000 : Infinity;
  const retryForMs = retryForS * 1000;
  const submitted = await retrying(() => http(cfg, "POST", `/api/v1/${segment}`, { body: input }), {
    retryForMs,
  });
  if (submitted.status !== 200 && submitted.status !== 201)
    throw new Failure(apiError(submitted.status, submitted.body));
  let row = checkRow(submitted.body);
  const label = segment === "approvals" ? "approval" : "question";
  if (row.status === "pending") note(`waiting for a reviewer (id ${row.id}): ${row.url ?? ""}`);

  const expiresAt = row.expires_at ? Date.parse(row.expires_at) : Infinity;
  while (row.status === "pending") {
    const left = deadline - Date.now();
    if (left <= 0) return { row, timedOut: true };
    const waitS = Math.max(1, Math.min(MAX_WAIT_S, Math.ceil(left / 1000)));
    const polled = await retrying(
      () =>
        http(cfg, "GET", `/api/v1/${segment}/${row.id}?wait=${waitS}`, {
          timeoutMs: (waitS + 30) * 1000,
        }),
      {
        retryForMs,
        // unreachable 30 s past the expiry: no decision can come any more
        deadline: Math.min(deadline, expiresAt + 30_000),
        onGiveUp: (err, why) =>
          why === "deadline" && deadline <= expiresAt + 30_000
            ? TIMED_OUT
            : new Failure(
                `${err.message}; giving up. The ${label} ${row.id} ` +
                  // a decision taken before the expiry, while we could not ask, would be
                  // lost: say so rather than guess
                  (Date.now() > expiresAt
                    ? `expired at ${row.expires_at}; whether it was decided before is unknown.`
                    : `is still open; run the same command with --id ${row.id} to wait again.`),
              ),
      },
    ).catch((err) => {
      if (err === TIMED_OUT) return null;
      throw err;
    });
    if (polled === null) return { row, timedOut: true };
    if (polled.status === 404)
      throw new Failure(
        `the ${label} ${row.id} no longer exists on ${cfg.base} (was its database replaced?)`,
      );
    if (polled.status !== 200) throw new Failure(apiError(polled.status, polled.body));
    row = checkRow(polled.body);
  }
  return { row, timedOut: false };
}

/** Thrown by the wait when --timeout comes during an outage: exit 2, not an error. */
const TIMED_OUT = Symbol("timed out");

const STATUSES = new Set(["pending", "approved", "rejected", "answered", "expired", "superseded"]);

/** A request as the API shows it, or a Failure (never guess a decision from a strange body). */
function checkRow(body) {
  if (!body || typeof body.id !== "string" || !STATUSES.has(body.status))
    throw new Failure("Nexus answered with something that is not a request (is NEXUS_URL right?)");
  return body;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An inline comment as one line: "src/a.ts:12-14 (new): text" (lib/diff/comments.ts). */
function commentLine(c) {
  const end = c.end_line && c.end_line !== c.line ? `-${c.end_line}` : "";
  return `${c.file_path}:${c.line}${end} (${c.side}): ${c.body.replace(/\n/g, "\n    ")}`;
}

function commonRequestOptions(options) {
  const out = {};
  if (options.id !== undefined) {
    if (!UUID.test(options.id)) throw new UsageError("--id must be a UUID");
    out.id = options.id.toLowerCase();
  } else out.id = crypto.randomUUID();
  if (options["expires-in"] !== undefined)
    out.expires_in_s = parseDuration(options["expires-in"], "expires-in");
  return out;
}

function waitOptions(options) {
  return {
    timeoutS: options.timeout === undefined ? undefined : parseDuration(options.timeout, "timeout"),
    retryForS:
      options["retry-for"] === undefined ? 300 : parseDuration(options["retry-for"], "retry-for"),
  };
}

/* ------------------------------------------------------------------ approve */

function git(args, { cwd, allowExit1 = false } = {}) {
  const r = childProcess.spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    // file names are names, not glob patterns; no lock taken on the index for a refresh
    env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_LITERAL_PATHSPECS: "1", LC_ALL: "C" },
  });
  if (r.error) throw new Failure(`cannot run git: ${r.error.message}`);
  if (r.status === 0 || (allowExit1 && r.status === 1)) return r.stdout;
  throw new Failure(`git ${args[0]} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
}

/** Flags that make `git diff` output the same whatever the user's git configuration. */
const DIFF_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--no-relative",
  "--no-renames",
  "-U3",
];

/**
 * The diff of the files (paths or folders, relative to the current folder) between the
 * last commit and the working tree; untracked files as new files. Read-only: the index
 * is never written (no `git add -N`). Returns {diff, files} with repository-relative paths.
 */
function gitDiffOf(files) {
  const cwd = process.cwd();
  const top = childProcess.spawnSync("git", ["rev-parse", "--show-toplevel"], {
    cwd,
    encoding: "utf8",
  });
  if (top.error) throw new Failure(`cannot run git: ${top.error.message}`);
  if (top.status !== 0)
    throw new Failure(
      `not inside a git repository (${top.stderr.trim().split("\n")[0]}): give the change with --diff <file|->`,
    );
  const root = top.stdout.trim();
  // readable names; blank context lines keep their " " (a user's setting could drop it)
  const cfg = ["-c", "core.quotePath=false", "-c", "diff.suppressBlankEmpty=false"];
  const hasHead =
    childProcess.spawnSync("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd }).status ===
    0;
  // the empty tree: every tracked file is new in a repository without commits
  const base = hasHead ? "HEAD" : "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  for (const f of files)
    if (!fs.existsSync(f)) {
      // a deleted file is fine if git knows it
      const known = git([...cfg, "ls-files", "--full-name", "--", f], { cwd }).trim();
      const inBase =
        hasHead &&
        git([...cfg, "ls-tree", "-r", "--name-only", "HEAD", "--", f], { cwd }).trim() !== "";
      if (!known && !inBase) throw new UsageError(`no such file: ${f}`);
    }
  let diff = git([...cfg, "diff", ...DIFF_FLAGS, base, "--", ...files], { cwd });
  const untracked = git([...cfg, "ls-files", "-z", "--others", "--full-name", "--", ...files], {
    cwd,
  })
    .split("\0")
    .filter(Boolean);
  for (const rel of untracked) {
    // run from the top so that the new file's name is repository-relative like the rest
    diff += git([...cfg, "diff", ...DIFF_FLAGS, "--no-index", "--", "/dev/null", rel], {
      cwd: root,
      allowExit1: true,
    });
  }
  const names = [];
  for (const m of diff.matchAll(/^diff --git (.*)$/gm)) {
    // "a/X b/X" (renames are off, so both names are the same); quoted names as they are
    const rest = m[1];
    const k = (rest.length - 5) / 2;
    const name =
      Number.isInteger(k) && k > 0 && rest.slice(2, 2 + k) === rest.slice(-k)
        ? rest.slice(-k)
        : rest;
    if (!names.includes(name)) names.push(name);
  }
  return { diff, files: names.length ? names : files };
}

/** The paths a unified diff touches (+++ b/x, or --- a/x for deletions). */
function pathsOfDiff(diff) {
  const names = [];
  const lines = diff.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const plus = /^\+\+\+ (.+?)(\t.*)?$/.exec(lines[i]);
    if (!plus || !lines[i - 1]?.startsWith("--- ")) continue;
    let name = plus[1];
    if (name === "/dev/null") name = lines[i - 1].slice(4).replace(/\t.*$/, "");
    names.push(name.replace(/^[ab]\//, ""));
  }
  return names;
}

function summaryPath(files) {
  if (files.length === 0) return null;
  return files.length === 1 ? files[0] : `${files[0]} (+${files.length - 1} more)`;
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

async function approve(argv) {
  const { options, positional } = parseArgs(argv, {
    diff: "string",
    "file-path": "string",
    description: "string",
    "agent-id": "string",
    "expires-in": "string",
    timeout: "string",
    "retry-for": "string",
    id: "string",
    supersedes: "string",
    json: "boolean",
  });
  if (options.help) return help("approve");
  if (options.supersedes !== undefined && !UUID.test(options.supersedes))
    throw new UsageError("--supersedes must be the UUID of an earlier approval");
  const cfg = config();
  const request = commonRequestOptions(options);
  const wait = waitOptions(options);
  let diff;
  let files;
  if (options.diff !== undefined) {
    if (positional.length) throw new UsageError("give either files or --diff, not both");
    diff =
      options.diff === "-"
        ? await readStdin()
        : (() => {
            try {
              return fs.readFileSync(options.diff, "utf8");
            } catch (err) {
              throw new UsageError(`cannot read --diff ${options.diff}: ${err.code ?? err}`);
            }
          })();
    files = pathsOfDiff(diff);
  } else {
    if (!positional.length) throw new UsageError("name the files to approve, or give --diff -");
    ({ diff, files } = gitDiffOf(positional));
  }
  if (!diff.trim()) throw new Failure("nothing to approve: the diff is empty (no changes?)");
  const filePath = options["file-path"] ?? summaryPath(files);
  if (!filePath) throw new UsageError("the diff names no file: give --file-path");
  const { row, timedOut } = await submitAndWait(
    cfg,
    "approvals",
    {
      ...request,
      file_path: filePath,
      diff,
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.supersedes !== undefined ? { supersedes: options.supersedes.toLowerCase() } : {}),
      agent_id: agentIdFrom(options),
    },
    wait,
  );
  if (options.json) process.stdout.write(JSON.stringify(row, null, 2) + "\n");
  if (timedOut) {
    note(`no decision within --timeout; the approval ${row.id} is still open (--id to wait again)`);
    return EXIT.EXPIRED;
  }
  if (row.status === "expired") {
    note(`expired without a decision at ${row.expires_at}`);
    return EXIT.EXPIRED;
  }
  if (row.status === "superseded") {
    note(`superseded by the revision ${row.superseded_by}; this version will not be decided`);
    return EXIT.EXPIRED;
  }
  if (row.status !== "approved" && row.status !== "rejected")
    throw new Failure(`unexpected status "${row.status}" for an approval`);
  const by = row.decided_by ? ` by ${row.decided_by}` : "";
  if (!options.json && row.comment) process.stdout.write(row.comment + "\n");
  if (!options.json)
    for (const c of row.comments ?? []) process.stdout.write(commentLine(c) + "\n");
  note(`${row.status}${by}`);
  return row.status === "approved" ? EXIT.APPROVED : EXIT.REJECTED;
}

/* ------------------------------------------------------------------ ask */

async function ask(argv) {
  const { options, positional } = parseArgs(argv, {
    option: "strings",
    multi: "boolean",
    "no-text": "boolean",
    "context-json": "string",
    "agent-id": "string",
    "expires-in": "string",
    timeout: "string",
    "retry-for": "string",
    id: "string",
    json: "boolean",
  });
  if (options.help) return help("ask");
  if (positional.length !== 1)
    throw new UsageError('give the question as one argument: nexus-agent ask "Which cache?"');
  const cfg = config();
  const request = commonRequestOptions(options);
  const wait = waitOptions(options);
  const input = { ...request, question: positional[0], agent_id: agentIdFrom(options) };
  if (options["context-json"] !== undefined) {
    let context;
    try {
      context = JSON.parse(options["context-json"]);
    } catch (err) {
      throw new UsageError(`--context-json is not JSON: ${err.message}`);
    }
    if (!context || typeof context !== "object" || Array.isArray(context))
      throw new UsageError("--context-json must be a JSON object");
    input.context = context;
  }
  if (options.option) input.options = options.option;
  if (options.multi || options["no-text"]) {
    if (!options.option) throw new UsageError("--multi and --no-text need --option");
    if (options.multi) input.multi_select = true;
    if (options["no-text"]) input.allow_text = false;
  }
  const { row, timedOut } = await submitAndWait(cfg, "questions", input, wait);
  if (options.json) process.stdout.write(JSON.stringify(row, null, 2) + "\n");
  if (timedOut) {
    note(`no answer within --timeout; the question ${row.id} is still open (--id to wait again)`);
    return EXIT.EXPIRED;
  }
  if (row.status === "expired") {
    note(`expired without an answer at ${row.expires_at}`);
    return EXIT.EXPIRED;
  }
  if (row.status !== "answered")
    throw new Failure(`unexpected status "${row.status}" for a question`);
  if (!options.json) {
    const selected = Array.isArray(row.selected) ? row.selected : [];
    const lines = [...selected];
    // the typed text, unless it only repeats the chosen labels
    if (row.response && row.response !== selected.join(", ") && !selected.includes(row.response))
      lines.push(row.response);
    if (lines.length) process.stdout.write(lines.join("\n") + "\n");
  }
  note(`answered${row.responded_by ? ` by ${row.responded_by}` : ""}`);
  return EXIT.ANSWERED;
}

/* ------------------------------------------------------------------ exact diffs for Claude Code's edits */

/** Text → lines, each keeping its "\n" (the last one may lack it). */
function splitLines(text) {
  const lines = text.split("\n").map((l) => l + "\n");
  const last = lines.pop().slice(0, -1);
  if (last !== "") lines.push(last);
  return lines;
}

/**
 * The edit script between two line arrays: [{op: " "|"-"|"+", line}]. Myers' O(ND)
 * algorithm on what lies between the common prefix and suffix; when the difference is
 * too large to search, that middle is shown as removed-then-added (still an exact diff).
 */
function diffLines(a, b, maxD = 4000) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops = [];
  for (let i = 0; i < start; i++) ops.push({ op: " ", line: a[i] });
  ops.push(...myers(a.slice(start, endA), b.slice(start, endB), maxD));
  for (let i = endA; i < a.length; i++) ops.push({ op: " ", line: a[i] });
  return ops;
}

function myers(a, b, maxD) {
  const n = a.length;
  const m = b.length;
  const replaceAll = () => [
    ...a.map((line) => ({ op: "-", line })),
    ...b.map((line) => ({ op: "+", line })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found !== -1) break;
  }
  if (found === -1) return replaceAll();
  // walk back through the saved frontiers
  const ops = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ op: " ", line: a[--x] });
    }
    if (down) ops.push({ op: "+", line: b[--y] });
    else ops.push({ op: "-", line: a[--x] });
  }
  while (x > 0 && y > 0) {
    y--;
    ops.push({ op: " ", line: a[--x] });
  }
  return ops.reverse();
}

/** A unified diff with `context` lines around each change; "" when nothing changed. */
function unifiedDiff(oldText, newText, { oldName, newName, header = [], context = 3 }) {
  const ops = diffLines(oldText === null ? [] : splitLines(oldText), splitLines(newText));
  const changed = ops.map((o, i) => (o.op === " " ? -1 : i)).filter((i) => i >= 0);
  if (!changed.length) return "";
  // group changes whose context windows touch into hunks
  const groups = [];
  for (const i of changed) {
    const g = groups[groups.length - 1];
    if (g && i - g.end <= 2 * context + 1) g.end = i;
    else groups.push({ start: i, end: i });
  }
  // line numbers before each op
  const oldNo = [];
  const newNo = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldNo.push(o);
    newNo.push(n);
    if (op.op !== "+") o++;
    if (op.op !== "-") n++;
  }
  const out = [...header, `--- ${oldName}`, `+++ ${newName}`];
  const emit = (prefix, line) => {
    if (line.endsWith("\n")) out.push(prefix + line.slice(0, -1));
    else out.push(prefix + line, "\\ No newline at end of file");
  };
  for (const g of groups) {
    const from = Math.max(0, g.start - context);
    const to = Math.min(ops.length - 1, g.end + context);
    let oldCount = 0;
    let newCount = 0;
    for (let i = from; i <= to; i++) {
      if (ops[i].op !== "+") oldCount++;
      if (ops[i].op !== "-") newCount++;
    }
    // an empty side is numbered by the line before it (0 at the top), as diff(1) does
    const oldStart = oldCount ? oldNo[from] : oldNo[from] - 1;
    const newStart = newCount ? newNo[from] : newNo[from] - 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (let i = from; i <= to; i++) emit(ops[i].op, ops[i].line);
  }
  return out.join("\n") + "\n";
}

/** Apply one Edit as Claude Code does: old_string must occur (exactly once unless replace_all). */
function applyEdit(content, edit) {
  const oldString = edit.old_string;
  const newString = edit.new_string;
  if (typeof oldString !== "string" || typeof newString !== "string")
    throw new Error("old_string and new_string must be strings");
  if (oldString === "") {
    // Claude Code: an empty old_string creates a file (only when there is none, or it is empty)
    if (content === null || content === "") return newString;
    throw new Error("old_string is empty but the file has content");
  }
  if (content === null) throw new Error("the file does not exist");
  const first = content.indexOf(oldString);
  if (first === -1) throw new Error("old_string is not in the file");
  if (edit.replace_all === true) return content.split(oldString).join(newString);
  if (content.indexOf(oldString, first + oldString.length) !== -1)
    throw new Error("old_string occurs more than once (and replace_all is not set)");
  return content.slice(0, first) + newString + content.slice(first + oldString.length);
}

/**
 * For Edit / MultiEdit / Write: the file as it is now and as it will be after the tool
 * runs, as an exact unified diff relative to the hook's cwd; null for other tools, or
 * when the edit would fail anyway (Claude Code then refuses it itself).
 */
function exactDiffFor(hook) {
  const tool = hook.tool_name;
  const input = hook.tool_input;
  if (!input || typeof input !== "object" || typeof input.file_path !== "string") return null;
  if (tool !== "Edit" && tool !== "MultiEdit" && tool !== "Write") return null;
  const cwd = typeof hook.cwd === "string" ? hook.cwd : process.cwd();
  const abs = path.resolve(cwd, input.file_path);
  let before = null;
  try {
    const stat = fs.statSync(abs);
    if (!stat.isFile() || stat.size > MAX_DIFF_FILE_BYTES) return null;
    const buf = fs.readFileSync(abs);
    if (buf.includes(0)) return null; // binary
    before = buf.toString("utf8");
  } catch (err) {
    if (err.code !== "ENOENT") return null;
  }
  let after;
  try {
    if (tool === "Write") {
      if (typeof input.content !== "string") return null;
      after = input.content;
    } else {
      const edits = tool === "Edit" ? [input] : input.edits;
      if (!Array.isArray(edits)) return null;
      // Claude Code edits a CRLF file as LF text and writes it back with CRLF (observed
      // with 2.1.328: old_string "a\nb" matches "a\r\nb"); Write writes content as given
      const crlf = before !== null && before.includes("\r\n");
      const text = crlf ? before.replaceAll("\r\n", "\n") : before;
      const edited = edits.reduce((t, edit) => applyEdit(t, edit), text);
      after = crlf ? edited.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n") : edited;
    }
  } catch {
    return null;
  }
  const rel = path.relative(cwd, abs);
  const name = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
  const display = name.split(path.sep).join("/");
  const header = [`diff --git a/${display} b/${display}`];
  if (before === null) header.push("new file mode 100644");
  const diff = unifiedDiff(before, after, {
    oldName: before === null ? "/dev/null" : `a/${display}`,
    newName: `b/${display}`,
    header,
  });
  // a new empty file: the header alone says it (git prints the same)
  if (!diff && before === null) return header.join("\n") + "\n";
  return diff || null;
}

/* ------------------------------------------------------------------ claude-hook */

/** Claude Code's "no" for the event, with the reason the model (and the user) will read. */
function denyAnswer(event, reason) {
  if (event === "PermissionRequest")
    return {
      hookSpecificOutput: {
        hookEventName: "PermissionRequest",
        decision: { behavior: "deny", message: reason },
      },
    };
  return {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  };
}

/** A well-formed answer for the event, or null. */
function validAnswer(event, body, onTimeout) {
  // PermissionRequest has no "ask": with --on-timeout ask, no answer at all lets Claude
  // Code's own permission dialog run (never an allow)
  if (
    event === "PermissionRequest" &&
    onTimeout === "ask" &&
    body &&
    typeof body === "object" &&
    Object.keys(body).length === 0
  )
    return body;
  const out = body?.hookSpecificOutput;
  if (!out || typeof out !== "object") return null;
  if (event === "PermissionRequest") {
    const b = out.decision?.behavior;
    return out.hookEventName === event && (b === "allow" || b === "deny") ? body : null;
  }
  const d = out.permissionDecision;
  return out.hookEventName === "PreToolUse" && (d === "allow" || d === "deny" || d === "ask")
    ? body
    : null;
}

async function claudeHook(argv) {
  // Every failure from here on, a bad option included, is a deny answer on stdout and
  // exit 0: Claude Code reads JSON only from a hook that exits 0, and lets the tool run
  // when a command hook exits with anything but 0 or 2 (a "non-blocking error").
  let event = "PreToolUse";
  let done = false;
  let watchdog = null;
  function finish(answer) {
    if (done) return;
    done = true;
    clearTimeout(watchdog);
    process.stdout.write(JSON.stringify(answer) + "\n", () => process.exit(0));
  }
  const fail = (err) => {
    const why = err instanceof Error ? err.message : String(err);
    note(why);
    finish(denyAnswer(event, `Nexus could not be asked, so this is denied: ${why}`));
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);

  try {
    const { options } = parseArgs(argv, {
      timeout: "string",
      "on-timeout": "string",
      "agent-id": "string",
      "retry-for": "string",
      "dry-run": "boolean",
    });
    if (options.help) {
      done = true;
      return help("claude-hook");
    }
    const timeoutS =
      options.timeout === undefined ? 590 : parseDuration(options.timeout, "timeout");
    // a restart of Nexus takes seconds; a Nexus that is down should not hold Claude Code
    // for the whole --timeout before it hears "deny"
    const retryForS =
      options["retry-for"] === undefined ? 30 : parseDuration(options["retry-for"], "retry-for");
    const onTimeout = options["on-timeout"] ?? "deny";
    if (onTimeout !== "deny" && onTimeout !== "ask")
      throw new UsageError("--on-timeout must be deny or ask");
    // answer before Claude Code's own hook timeout whatever hangs (settings: timeout > this)
    const hardDeadline = Date.now() + (timeoutS + 5) * 1000;
    watchdog = setTimeout(
      () => finish(denyAnswer(event, `Nexus did not answer within ${timeoutS + 5} s.`)),
      hardDeadline - Date.now(),
    );

    const raw = await readStdin();
    let hook;
    try {
      hook = JSON.parse(raw);
    } catch {
      throw new Failure("the hook input on stdin is not JSON");
    }
    if (!hook || typeof hook !== "object" || Array.isArray(hook))
      throw new Failure("the hook input is not a JSON object");
    if (hook.hook_event_name === "PermissionRequest") event = "PermissionRequest";
    let diff = null;
    try {
      diff = exactDiffFor(hook);
    } catch {
      diff = null; // the server shows the edit without line numbers instead
    }
    const body = diff ? { ...hook, nexus: { diff } } : hook;
    if (options["dry-run"]) {
      done = true;
      clearTimeout(watchdog);
      process.stdout.write(JSON.stringify(body, null, 2) + "\n");
      return 0;
    }
    const cfg = config();
    const query = new URLSearchParams({ timeout: String(timeoutS), on_timeout: onTimeout });
    const agentId = options["agent-id"] ?? process.env.NEXUS_AGENT_ID;
    if (agentId) query.set("agent_id", agentId);
    const res = await retrying(
      () =>
        http(cfg, "POST", `${HOOK_PATH}?${query}`, {
          body,
          timeoutMs: Math.max(1000, hardDeadline - Date.now()),
        }),
      { retryForMs: retryForS * 1000, deadline: hardDeadline },
    );
    if (res.status !== 200) throw new Failure(apiError(res.status, res.body));
    const answer = validAnswer(event, res.body, onTimeout);
    if (!answer) throw new Failure("the answer from Nexus is not a hook decision");
    finish(answer);
  } catch (err) {
    fail(err);
  }
  return new Promise(() => {}); // finish() exits
}

/* ------------------------------------------------------------------ main */

function help(topic) {
  process.stdout.write(HELP[topic] + "\n");
  return 0;
}

async function main(argv) {
  [fs, path, os, childProcess, crypto] = await Promise.all([
    import("node:fs"),
    import("node:path"),
    import("node:os"),
    import("node:child_process"),
    import("node:crypto"),
  ]);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "approve":
        return await approve(rest);
      case "ask":
        return await ask(rest);
      case "claude-hook":
        return await claudeHook(rest);
      case "--version":
      case "-v":
        process.stdout.write(`nexus-agent ${VERSION}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        return help(rest[0] in HELP ? rest[0] : "main");
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      note(`${err.message}\n(nexus-agent ${HELP[command] ? `${command} ` : ""}--help)`);
      return EXIT.ERROR;
    }
    if (err instanceof Failure || err instanceof Unreachable) {
      note(err.message);
      return EXIT.ERROR;
    }
    note(`unexpected error: ${err?.stack ?? err}`);
    return EXIT.ERROR;
  }
}

/** Exit once stdout is flushed (idle keep-alive sockets must not hold the process). */
function exit(code) {
  process.stdout.write("", () => process.exit(code));
}

main(process.argv.slice(2)).then(exit, (err) => {
  process.stderr.write(`nexus-agent: ${err?.stack ?? err}\n`);
  exit(EXIT.ERROR);
});
