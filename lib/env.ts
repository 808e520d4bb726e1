import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Parsed and validated once; every other module
 * asks `env()` or `dbConfig()`. A bad value throws ConfigError with a one-line message
 * that entry points print without a stack trace.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
        ctx.addIssue({
          code: "custom",
          message: `${name} must be a port number 1-65535, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    });

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        ctx.addIssue({ code: "custom", message: `${name} must be a positive integer, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port("PORT", 3000),
  DATABASE_URL: z.string().optional(),
  DB_HOST: z.string().optional(),
  DB_PORT: port("DB_PORT", 5432),
  DB_USER: z.string().optional(),
  DB_PASSWORD: z.string().optional(),
  NEXUS_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, "NEXUS_DB must be 1-63 letters, digits, _ or -")
    .optional(),
  NEXUS_DB_POOL_MAX: positiveInt("NEXUS_DB_POOL_MAX", 10),
  NEXUS_DATA_DIR: z.string().optional(),
  NEXUS_PUBLIC_URL: z
    .string()
    .url("NEXUS_PUBLIC_URL must be an absolute URL such as https://nexus.example.com")
    .optional(),
  NEXUS_MAX_BODY_BYTES: positiveInt("NEXUS_MAX_BODY_BYTES", 5 * 1024 * 1024),
  /** email (optional): smtp://user:pass@host:587 or smtps://…:465 (nodemailer's URL form) */
  NEXUS_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "NEXUS_SMTP_URL must start with smtp:// or smtps://")
    .optional(),
  /** the From of Nexus's emails */
  NEXUS_MAIL_FROM: z.string().min(3).default("Nexus <nexus@localhost>"),
  NEXUS_AUTH_SECRET: z
    .string()
    .min(32, "NEXUS_AUTH_SECRET must be at least 32 characters")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NEXUS_BACKUP: z.enum(["on", "off"]).default("off"),
  /** `npm run db:seed` also inserts large and hostile edge-case requests (tests, demos) */
  NEXUS_SEED_BIG: z
    .enum(["0", "1"], "NEXUS_SEED_BIG must be 0 or 1")
    .default("0")
    .transform((v) => v === "1"),
  NEXUS_BACKUP_DIR: z.string().default(".db-backup"),
  NEXUS_BACKUP_KEEP_HOURLY: positiveInt("NEXUS_BACKUP_KEEP_HOURLY", 6),
  NEXUS_BACKUP_KEEP_DAILY: positiveInt("NEXUS_BACKUP_KEEP_DAILY", 7),
  /** Tests/drills: hourly backups every N seconds (aligned) instead of at :00. */
  NEXUS_BACKUP_INTERVAL_SECONDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        ctx.addIssue({
          code: "custom",
          message: `NEXUS_BACKUP_INTERVAL_SECONDS must be a positive integer, got "${v}"`,
        });
        return z.NEVER;
      }
      return Number(v);
    }),
  /** Concurrent long polls (GET …/{id}?wait=N) one API key or signed-in user may hold. */
  NEXUS_MAX_WAITS_PER_PRINCIPAL: positiveInt("NEXUS_MAX_WAITS_PER_PRINCIPAL", 100),
  /** Concurrent /api/v1/events streams one API key or signed-in user may hold. */
  NEXUS_MAX_STREAMS_PER_PRINCIPAL: positiveInt("NEXUS_MAX_STREAMS_PER_PRINCIPAL", 100),
  /**
   * Longest a single SQL statement may run (PostgreSQL statement_timeout on every pooled
   * connection; on PGlite a wait bound, as the embedded engine cannot cancel a statement).
   */
  NEXUS_STATEMENT_TIMEOUT_MS: positiveInt("NEXUS_STATEMENT_TIMEOUT_MS", 5000),
  /** Longest wait for a new connection to the PostgreSQL server. */
  NEXUS_DB_CONNECT_TIMEOUT_MS: positiveInt("NEXUS_DB_CONNECT_TIMEOUT_MS", 2000),
  /** Sign-in attempts per client address per 5 minutes (better-auth's limiter). */
  NEXUS_SIGN_IN_RATE_MAX: positiveInt("NEXUS_SIGN_IN_RATE_MAX", 20),
  /**
   * Whether Nexus sits behind reverse proxies whose X-Forwarded-For / X-Forwarded-Proto
   * it may believe: unset, 0, false or no (default) trusts no header (the client is the
   * socket's peer); 1, true or yes trusts one proxy; a number N trusts N proxies in a row.
   */
  NEXUS_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim().toLowerCase();
      if (s === "" || s === "0" || s === "false" || s === "no") return 0;
      if (s === "true" || s === "yes") return 1;
      if (/^\d{1,2}$/.test(s)) return Number(s);
      ctx.addIssue({
        code: "custom",
        message: `NEXUS_TRUST_PROXY must be 0/false (no proxy), 1/true (one proxy) or a number of proxies, got "${v}"`,
      });
      return z.NEVER;
    }),
  /**
   * Embedded database only: serve the PostgreSQL wire protocol on 127.0.0.1 at this port
   * while the server runs (psql, the admin CLI); `off` disables it.
   */
  NEXUS_PGLITE_PORT: z
    .string()
    .optional()
    .transform((v, ctx): number | "off" => {
      if (v === undefined || v === "") return 5433;
      if (v.trim().toLowerCase() === "off") return "off";
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
        ctx.addIssue({
          code: "custom",
          message: `NEXUS_PGLITE_PORT must be a port number 1-65535 or off, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    }),
  /** statement_timeout set for psql socket sessions (PGlite does not enforce it today). */
  NEXUS_PGLITE_SOCKET_STATEMENT_TIMEOUT_MS: positiveInt(
    "NEXUS_PGLITE_SOCKET_STATEMENT_TIMEOUT_MS",
    5000,
  ),
  /** A psql session idle inside a transaction this long is rolled back and disconnected. */
  NEXUS_PGLITE_SOCKET_IDLE_TRANSACTION_MS: positiveInt(
    "NEXUS_PGLITE_SOCKET_IDLE_TRANSACTION_MS",
    5000,
  ),
  /** Bearer token for GET /api/prometheus; unset: loopback callers (and monitor keys) only. */
  NEXUS_PROMETHEUS_TOKEN: z
    .string()
    .min(16, "NEXUS_PROMETHEUS_TOKEN must be at least 16 characters")
    .optional(),
  /** The commit this build came from (status page); else read from .git at start. */
  NEXUS_COMMIT: z.string().max(64).optional(),
  /** Webhooks: one attempt's limit, and how long failures are retried before giving up. */
  NEXUS_WEBHOOK_TIMEOUT_SECONDS: positiveInt("NEXUS_WEBHOOK_TIMEOUT_SECONDS", 10),
  NEXUS_WEBHOOK_RETRY_HOURS: positiveInt("NEXUS_WEBHOOK_RETRY_HOURS", 24),
  /** Longest wait for in-flight requests on SIGTERM before exiting anyway. */
  NEXUS_SHUTDOWN_TIMEOUT_SECONDS: positiveInt("NEXUS_SHUTDOWN_TIMEOUT_SECONDS", 25),
});

export type Env = z.output<typeof schema>;

export type DbConfig =
  | { kind: "embedded"; dataDir: string; label: string }
  | {
      kind: "server";
      url: string;
      host: string;
      port: number;
      database: string;
      user: string;
      /** The same server's `postgres` maintenance database, used to create ours. */
      maintenanceUrl: string;
      label: string;
      poolMax: number;
      /** the embedded database of a running server, reached through its psql socket (CLI) */
      viaSocketOf?: { pid: number; dataDir: string };
    };

let cached: Env | undefined;

export type EnvSource = Record<string, string | undefined>;

export function parseEnv(source: EnvSource): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first?.path.join(".");
    const message = first?.message ?? "invalid configuration";
    throw new ConfigError(message.includes(where ?? "\0") ? message : `${where}: ${message}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the parsed environment (tests change process.env between cases). */
export function resetEnvCache() {
  cached = undefined;
}

const SERVER_VARS = ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "NEXUS_DB"];

export function dbConfigFrom(source: EnvSource): DbConfig {
  const e = parseEnv(source);
  const serverConfigured = SERVER_VARS.some((k) => (source[k] ?? "") !== "");
  if (!serverConfigured) {
    const dataDir = path.resolve(
      /* turbopackIgnore: true */ process.cwd(),
      e.NEXUS_DATA_DIR || ".nexus/data",
    );
    return { kind: "embedded", dataDir, label: `embedded PostgreSQL (PGlite) in ${dataDir}` };
  }
  if (e.DATABASE_URL) {
    let u: URL;
    try {
      u = new URL(e.DATABASE_URL);
    } catch {
      throw new ConfigError(
        "DATABASE_URL is not a valid URL (expected postgres://user:pass@host:5432/db)",
      );
    }
    if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
      throw new ConfigError(
        `DATABASE_URL must start with postgres:// or postgresql://, got "${u.protocol}"`,
      );
    }
    const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || e.NEXUS_DB || "nexus";
    u.pathname = `/${encodeURIComponent(database)}`;
    const maintenance = new URL(u.toString());
    maintenance.pathname = "/postgres";
    const host = u.hostname || "localhost";
    const portNum = u.port ? Number(u.port) : 5432;
    return {
      kind: "server",
      url: u.toString(),
      host,
      port: portNum,
      database,
      user: decodeURIComponent(u.username) || "postgres",
      maintenanceUrl: maintenance.toString(),
      label: `PostgreSQL server ${host}:${portNum}, database "${database}"`,
      poolMax: e.NEXUS_DB_POOL_MAX,
    };
  }
  const host = e.DB_HOST || "localhost";
  const user = e.DB_USER || "postgres";
  const database = e.NEXUS_DB || "nexus";
  const auth =
    encodeURIComponent(user) + (e.DB_PASSWORD ? `:${encodeURIComponent(e.DB_PASSWORD)}` : "");
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const base = `postgres://${auth}@${hostPart}:${e.DB_PORT}`;
  return {
    kind: "server",
    url: `${base}/${encodeURIComponent(database)}`,
    host,
    port: e.DB_PORT,
    database,
    user,
    maintenanceUrl: `${base}/postgres`,
    label: `PostgreSQL server ${host}:${e.DB_PORT}, database "${database}"`,
    poolMax: e.NEXUS_DB_POOL_MAX,
  };
}

export function dbConfig(): DbConfig {
  return dbConfigFrom(process.env);
}

/** Absolute base for links handed to agents (docs/api.md `url` fields). */
export function publicUrl(): string {
  const e = env();
  return (e.NEXUS_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}
