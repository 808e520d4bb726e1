import pino from "pino";
import { env } from "./env";

type Logger = pino.Logger;

/** The logger's options (tests build one on a sink of their own with the same rules). */
export function loggerOptions(level = "info"): pino.LoggerOptions {
  return {
    level,
    base: { app: "nexus" },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
    // never log credentials, even if an object carrying them is logged by mistake
    redact: {
      paths: [
        "password",
        "*.password",
        "authorization",
        "*.authorization",
        "apiKey",
        "*.apiKey",
        "key",
        "*.key",
      ],
      censor: "[redacted]",
    },
  };
}

/*
 * Errors in logs: what failed and why, never the data. A database error carries the
 * statement and its parameters (drizzle's "Failed query: … params: …" message,
 * postgres.js's `query`/`parameters`, PGlite's `query`/`params`) and PostgreSQL's
 * `detail` ("Key (name)=(…) already exists") — a diff, a question, a key. Logged
 * instead: the statement's name ("insert into approval_requests"), the SQLSTATE code
 * and the table/column/constraint names.
 */

const SQL_SHAPE = /^\s*(insert\s+into|update|delete\s+from)\s+"?([\w.]+)"?/i;

/** "insert into approval_requests", "select from api_keys", "begin", … */
export function statementName(query: string): string {
  const q = query.replace(/\s+/g, " ").trim();
  const write = SQL_SHAPE.exec(q);
  if (write) return `${write[1]!.toLowerCase().replace(/\s+/g, " ")} ${write[2]}`;
  const first = (/^\w+/.exec(q)?.[0] ?? "").toLowerCase();
  if (first === "select" || first === "with") {
    const from = /\bfrom\s+"?([\w.]+)"?/i.exec(q);
    return from ? `${first} from ${from[1]}` : first;
  }
  return first || "statement";
}

/** A database message without quoted values (`invalid input syntax for type uuid: "…"`). */
function scrubMessage(message: string): string {
  return message.replace(/:\s*"(?:[^"\\]|\\.)*"/g, ': "…"').replace(/=\(.*\)/g, "=(…)");
}

type Fields = Record<string, unknown>;

function isDatabaseError(e: Fields): boolean {
  return (
    "query" in e ||
    "params" in e ||
    "parameters" in e ||
    e.name === "DrizzleQueryError" ||
    e.name === "PostgresError" ||
    (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && "severity" in e)
  );
}

/** pino's `err` serializer (see above); everything else as pino's standard one. */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!err || typeof err !== "object") return err;
  const e = err as Fields;
  if (!isDatabaseError(e)) {
    const out = pino.stdSerializers.err(err as Error) as unknown as Fields;
    if (e.cause && depth < 3) out.cause = serializeError(e.cause, depth + 1);
    return out;
  }
  const cause = e.cause && depth < 3 ? (serializeError(e.cause, depth + 1) as Fields) : undefined;
  const query = typeof e.query === "string" ? e.query : undefined;
  const out: Fields = { type: typeof e.name === "string" ? e.name : "Error" };
  if (query) out.statement = statementName(query);
  if (typeof e.code === "string") out.code = e.code;
  // A wrapper (drizzle's DrizzleQueryError, whose class name is not kept in `name`) has
  // the statement and its parameters as its message: say what its cause says instead.
  const wrapper = !("severity" in e) && ("query" in e || "params" in e || "parameters" in e);
  if (wrapper) {
    if (cause?.code) out.code = cause.code;
    if (cause?.message) out.message = cause.message;
  } else if (typeof e.message === "string") out.message = scrubMessage(e.message);
  for (const [from, to] of [
    ["severity", "severity"],
    ["table_name", "table"],
    ["table", "table"],
    ["column_name", "column"],
    ["column", "column"],
    ["constraint_name", "constraint"],
    ["constraint", "constraint"],
  ] as const)
    if (typeof e[from] === "string") out[to] = e[from];
  if (cause && !wrapper) out.cause = cause;
  return out;
}
const g = globalThis as unknown as { __nexusLog?: Logger; __nexusLogFd?: number };

/** Send logs to stderr (the CLI: stdout carries the command's output, e.g. an export). */
export function logToStderr() {
  g.__nexusLogFd = 2;
  g.__nexusLog = undefined;
}

/**
 * Structured JSON logs to stdout. One logger per process (Next loads modules more than
 * once). Never log secrets, diffs, answers or request bodies.
 */
export function log(): Logger {
  if (!g.__nexusLog) {
    let level = "info";
    try {
      level = env().LOG_LEVEL;
    } catch {
      /* bad config is reported by whoever parses it */
    }
    g.__nexusLog = pino(
      loggerOptions(level),
      pino.destination({ fd: g.__nexusLogFd ?? 1, sync: true }),
    );
  }
  return g.__nexusLog;
}
