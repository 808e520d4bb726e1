import "server-only";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { dbConfig, env, type DbConfig } from "@/lib/env";
import { log } from "@/lib/log";
import { acquireDataDirLock, readSocketNote } from "./lock";
import {
  DatabaseLockedError,
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  errorCode,
  isConnectionError,
} from "./errors";
import { dbTimeLeft } from "./deadline";
import { guardPglite, guardPostgres, logPoolReplaced } from "./guard";
import { migrateEmbedded, migrateServer, ensureServerDatabase } from "./migrate";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database: query helpers accept either. */
export type Executor = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export interface Database {
  db: Db;
  config: DbConfig;
  /**
   * Subscribe to a NOTIFY channel on this process's single listening connection.
   * `onConnect` runs after every (re)connect so callers can re-check state they may
   * have missed while disconnected.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onConnect?: () => void,
  ): Promise<() => Promise<void>>;
  /** Round trip to the database (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), "drizzle");

/** Run `q` and return its rows, whichever driver is underneath. */
export async function rows<T>(db: Pick<Db, "execute">, q: SQL): Promise<T[]> {
  const result = (await db.execute(q)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * `rows`, as a prepared statement on the PostgreSQL server (postgres.js keeps one per
 * statement text and connection: parsed and planned once, not at every call). For the
 * hottest statements only, whose text takes few shapes (the agent's submit). PGlite has
 * no round trip to save: the same as `rows` there.
 */
export async function preparedRows<T>(db: Db, q: SQL): Promise<T[]> {
  const client = (db as unknown as { $client?: { unsafe?: unknown } }).$client;
  if (typeof client?.unsafe !== "function") return rows<T>(db, q);
  const { sql: text, params } = (
    db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }
  ).dialect.sqlToQuery(q);
  return (await (client as postgres.Sql).unsafe(text, params as postgres.ParameterOrJSON<never>[], {
    prepare: true,
  })) as unknown as T[];
}

async function openEmbedded(config: Extract<DbConfig, { kind: "embedded" }>): Promise<Database> {
  const release = acquireDataDirLock(config.dataDir);
  let pg: PGlite;
  try {
    pg = new PGlite(config.dataDir);
    await pg.waitReady;
    await pg.exec("SET TIME ZONE 'UTC'");
    await migrateEmbedded(pg, MIGRATIONS_DIR);
  } catch (err) {
    release();
    throw err;
  }
  // after migrating (a migration may take longer than any statement should)
  guardPglite(pg, env().NEXUS_STATEMENT_TIMEOUT_MS);
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    config,
    async listen(channel, onMessage, onConnect) {
      const unsub = await pg.listen(channel, onMessage);
      onConnect?.();
      return async () => {
        if (!closed) await unsub();
      };
    },
    async ping() {
      await pg.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}

function describeConnectionError(config: Extract<DbConfig, { kind: "server" }>, err: unknown) {
  const code = errorCode(err) ?? (err instanceof Error ? err.message : String(err));
  return new DatabaseUnavailableError(
    `Cannot reach PostgreSQL at ${config.host}:${config.port} (${code}). Is the server running and are DB_HOST/DB_PORT (or DATABASE_URL) right?`,
    { cause: err },
  );
}

async function openServer(config: Extract<DbConfig, { kind: "server" }>): Promise<Database> {
  try {
    // The running server migrated its embedded database already (and it has no
    // database of our name to create).
    if (!config.viaSocketOf) {
      await ensureServerDatabase(config);
      await migrateServer(config, MIGRATIONS_DIR);
    }
  } catch (err) {
    if (isConnectionError(err)) throw describeConnectionError(config, err);
    throw err;
  }
  const { NEXUS_STATEMENT_TIMEOUT_MS: statementMs, NEXUS_DB_CONNECT_TIMEOUT_MS: connectMs } = env();
  // The pool is replaced when one of its connections is found dead (db/guard.ts); `db`
  // always points at the current one, so holders of `db` need not know.
  let current: { sql: postgres.Sql; db: Db };
  const open = () => {
    const sql = postgres(config.url, {
      max: config.poolMax,
      onnotice: () => {},
      connect_timeout: connectMs / 1000,
      // while the server is unreachable, retry connecting soon (postgres.js's default
      // backoff grows to 20 s, and queued queries wait for it): each failed attempt
      // fails a waiting query at once (503) instead of at its deadline
      backoff: (retries: number) => Math.min(0.05 * retries, 0.25),
      idle_timeout: 60,
      // Every pooled statement is bounded on the server too. Migrations, backups
      // (pg_dump) and restores use connections of their own, without this bound.
      connection: {
        TimeZone: "UTC",
        application_name: "nexus",
        statement_timeout: statementMs,
      },
    });
    guardPostgres(sql, statementMs, () => {
      if (current.sql !== sql) return; // already replaced
      logPoolReplaced(config.label);
      current = open();
      void sql.end({ timeout: 0 }).catch(() => {});
    });
    return { sql, db: drizzlePostgres(sql, { schema }) as unknown as Db };
  };
  current = open();
  const db = new Proxy({} as Db, {
    get(_, prop) {
      const value = Reflect.get(current.db, prop) as unknown;
      // methods bound to the current drizzle instance; own fields ($client: the
      // postgres.js pool, a function with properties) as they are
      return typeof value === "function" && !Object.hasOwn(current.db, prop)
        ? value.bind(current.db)
        : value;
    },
  });
  if (config.viaSocketOf) await current.sql`SELECT 1`; // fail here, not at the first command
  return {
    db,
    config,
    async listen(channel, onMessage, onConnect) {
      // LISTEN runs on a connection of its own, outside the query guard: bound it, and
      // drop a subscription that arrives after we gave up (it would deliver twice)
      const pending = current.sql.listen(channel, onMessage, onConnect);
      const sub = await withTimeout(
        pending,
        Math.max(0, dbTimeLeft() ?? connectMs + statementMs),
        (late) => void late.unlisten().catch(() => {}),
      );
      return () =>
        withTimeout(sub.unlisten(), statementMs).then(
          () => {},
          () => {},
        );
    },
    async ping() {
      await current.sql.unsafe("SELECT 1");
    },
    async close() {
      await current.sql.end({ timeout: 5 });
    },
  };
}

/**
 * The embedded database held by a running server, through that server's psql socket
 * (server/pglite-socket.ts): a one-connection postgres.js "server" database.
 */
export function socketConfigFor(
  config: Extract<DbConfig, { kind: "embedded" }>,
  pid: number,
  port: number,
): Extract<DbConfig, { kind: "server" }> {
  const base = `postgres://postgres@127.0.0.1:${port}`;
  return {
    kind: "server",
    url: `${base}/nexus`,
    host: "127.0.0.1",
    port,
    database: "nexus",
    user: "postgres",
    maintenanceUrl: `${base}/postgres`,
    label: `the embedded database of the running server (pid ${pid}) through 127.0.0.1:${port}`,
    poolMax: 1,
    viaSocketOf: { pid, dataDir: config.dataDir },
  };
}

/** `work`, or a DatabaseTimeoutError after `ms`; `onLate` gets a result that came too late. */
function withTimeout<T>(work: Promise<T>, ms: number, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new DatabaseTimeoutError(`The database did not answer within ${ms} ms.`));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) onLate?.(value);
        else resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Open a database (and migrate it). Tests and scripts use this; the app uses getDatabase(). */
export async function openDatabase(config: DbConfig = dbConfig()): Promise<Database> {
  if (config.kind === "embedded") {
    try {
      return await openEmbedded(config);
    } catch (err) {
      if (!(err instanceof DatabaseLockedError) || !err.pid || !g.__nexusUseSocket) throw err;
      // the port that server noted (not ours: another server may hold the default port)
      const port = readSocketNote(config.dataDir, err.pid);
      if (port === undefined)
        throw new DatabaseLockedError(
          `${err.message}\nIt serves no psql socket (NEXUS_PGLITE_PORT=off, or its port was taken): stop it to use the CLI.`,
        );
      try {
        return await openServer(socketConfigFor(config, err.pid, port));
      } catch (cause) {
        throw new DatabaseLockedError(
          `${err.message}\nIts psql socket on 127.0.0.1:${port} did not answer (${(cause as Error).message}).`,
        );
      }
    }
  }
  return openServer(config);
}

const g = globalThis as unknown as {
  __nexusDatabase?: Promise<Database>;
  __nexusUseSocket?: boolean;
};

/**
 * The admin CLI: when a running server holds the embedded folder, reach the database
 * through that server's psql socket instead of failing.
 */
export function reachRunningServerThroughSocket() {
  g.__nexusUseSocket = true;
}

/**
 * The process's one database. Kept on globalThis because Next.js loads server modules
 * more than once; a module-level singleton would open two PGlite instances.
 */
export function getDatabase(): Promise<Database> {
  if (!g.__nexusDatabase) {
    const config = dbConfig();
    g.__nexusDatabase = openDatabase(config).then(
      (database) => {
        log().info(
          { database: config.kind },
          config.kind === "embedded"
            ? `database: ${config.label}; set DATABASE_URL or DB_HOST to use a PostgreSQL server instead`
            : `database: ${config.label}`,
        );
        return database;
      },
      (err) => {
        g.__nexusDatabase = undefined; // let a later call retry (e.g. the server came up)
        throw err;
      },
    );
  }
  return g.__nexusDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Close the process's database if it was opened (shutdown, end of a CLI command). */
export async function closeDatabase() {
  const pending = g.__nexusDatabase;
  g.__nexusDatabase = undefined;
  if (pending) await (await pending.catch(() => undefined))?.close();
}
