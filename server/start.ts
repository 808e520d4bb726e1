import "server-only";
import diagnostics from "node:diagnostics_channel";
import type { Server, ServerResponse } from "node:http";
import { ConfigError, env, publicUrl } from "@/lib/env";
import { closeDatabase, getDatabase, type Database } from "@/db/client";
import { DatabaseLockedError, DatabaseUnavailableError } from "@/db/errors";
import { takeBackup } from "@/db/ops/backup";
import { hasUsers } from "@/db/queries/users";
import { log } from "@/lib/log";
import { recordPeerAddresses } from "./auth/client-peer";
import { setupToken } from "./auth/setup-token";
import { startBackupScheduler } from "./backup-scheduler";
import { startPgliteSocket } from "./pglite-socket";
import { pgliteOf } from "@/db/ops/clients";
import { writeSocketNote } from "@/db/lock";
import { startAuditSealer } from "./audit-sealer";
import { isShuttingDown, onShutdown, runShutdownHooks } from "./lifecycle";
import { startNotifications, stopNotifications } from "./notify/start";
import { inFlightRequests } from "./request-log";

export { isShuttingDown, onShutdown };

const g = globalThis as unknown as { __nexusStarted?: boolean };

/**
 * Server start (instrumentation.ts): validate configuration, open and migrate the
 * database before the first request, start scheduled backups, and stop cleanly on
 * SIGTERM/SIGINT. Bad configuration or an unreachable database exits with one line.
 */
export async function startNexus() {
  if (g.__nexusStarted) return;
  g.__nexusStarted = true;
  recordPeerAddresses(); // before the first request: pages and actions need the socket's address
  let database: Database;
  try {
    env();
    database = await getDatabase();
  } catch (err) {
    const expected =
      err instanceof ConfigError ||
      err instanceof DatabaseLockedError ||
      err instanceof DatabaseUnavailableError;
    console.error(
      `nexus: ${expected ? (err as Error).message : String((err as Error)?.stack ?? err)}`,
    );
    process.exit(1);
  }
  await announceSetupToken();
  // LISTEN from the start, not at the first long poll: caches (API keys) are cleared by
  // notices from other processes. A dynamic import: the hub imports this module.
  void import("./events/hub").then((hub) => hub.ensureListening()).catch(() => {});
  await servePsql(database);
  startBackups(database);
  startNotifications();
  onShutdown(stopNotifications);
  const sealer = startAuditSealer();
  onShutdown(() => sealer.stop());
  handleSignals(); // first: it tells Next's signal handler by the listeners already there
  closeConnectionsWhenStopping();
}

/*
 * First run: /setup from another machine needs this process's setup token. Printed on
 * stdout only (beside the URL, like `npm start`'s own line), never logged or stored.
 */
async function announceSetupToken() {
  if (await hasUsers().catch(() => true)) return;
  console.log(
    `\nnexus: no account yet. Create the first admin at ${publicUrl()}/setup` +
      `\nnexus: setup token (asked for unless you open /setup on this machine): ${setupToken()}\n`,
  );
}

/*
 * Embedded database: psql and the admin CLI reach it through a loopback socket while we
 * hold the data folder (server/pglite-socket.ts). A taken port is not fatal: the app
 * works without it, the line says why.
 */
async function servePsql(database: Database) {
  const e = env();
  if (database.config.kind !== "embedded" || e.NEXUS_PGLITE_PORT === "off") return;
  try {
    const socket = await startPgliteSocket(pgliteOf(database), {
      port: e.NEXUS_PGLITE_PORT,
      statementTimeoutMs: e.NEXUS_PGLITE_SOCKET_STATEMENT_TIMEOUT_MS,
      idleTransactionMs: e.NEXUS_PGLITE_SOCKET_IDLE_TRANSACTION_MS,
    });
    const unnote = writeSocketNote(database.config.dataDir, socket.port);
    onShutdown(async () => {
      unnote();
      await socket.stop();
    });
    console.log(`nexus: psql -h 127.0.0.1 -p ${socket.port} -U postgres -d nexus`);
  } catch (err) {
    console.log(
      `nexus: psql socket not started on 127.0.0.1:${e.NEXUS_PGLITE_PORT} (${(err as Error).message}); set NEXUS_PGLITE_PORT to another port or off`,
    );
  }
}

function startBackups(database: Database) {
  const e = env();
  const scheduler =
    e.NEXUS_BACKUP === "on"
      ? startBackupScheduler(database, { intervalSeconds: e.NEXUS_BACKUP_INTERVAL_SECONDS })
      : undefined;
  if (scheduler) onShutdown(() => scheduler.stop());
  // `kill -USR2 <pid>`: back up now, inside the server (the CLI cannot open an embedded
  // database the server holds).
  process.on("SIGUSR2", () => {
    log().info("backup requested (SIGUSR2)");
    if (scheduler) void scheduler.runNow("hourly");
    else
      takeBackup({ database, kind: "hourly" }).then(
        (r) => log().info({ kind: "hourly", file: r.file, bytes: r.bytes }, "backup written"),
        (err) => log().error({ err }, `BACKUP FAILED (hourly): ${(err as Error).message}`),
      );
  });
}

/*
 * An agent that keeps submitting reuses its keep-alive connection: Next's server.close()
 * stops new connections, but requests on open ones keep coming, so the drain would only
 * end at NEXUS_SHUTDOWN_TIMEOUT_SECONDS (exit 1). Once stopping, every response says
 * `Connection: close`, and connections left idle by a response sent before the signal
 * are closed at once and every 250 ms: the client's next request goes to the next server (or fails
 * to connect, clearly). Nothing in flight is cut.
 */
function closeConnectionsWhenStopping() {
  const servers = new Set<Server>();
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { response, server } = message as { response: ServerResponse; server: Server };
    servers.add(server);
    if (isShuttingDown()) response.shouldKeepAlive = false;
  });
  // From the signal itself, not an onShutdown hook: hooks run one after another, and
  // the ones before could take seconds.
  let started = false;
  const closeIdleFromNowOn = () => {
    if (started) return;
    started = true;
    const closeIdle = () => servers.forEach((server) => server.closeIdleConnections());
    setImmediate(closeIdle); // after Next's own handler has called server.close()
    setInterval(closeIdle, 250).unref();
  };
  process.on("SIGTERM", closeIdleFromNowOn);
  process.on("SIGINT", closeIdleFromNowOn);
}

/*
 * Shutdown, cooperating with Next.js. `next start` (and the standalone server.js) run
 * their own SIGTERM/SIGINT handler: close the HTTP server (stop accepting, let in-flight
 * requests finish), then process.exit(143). Ours runs alongside it:
 *   1. at once: mark the process as stopping and run the onShutdown hooks (long polls
 *      answer with their current state, event streams end, backup timers stop);
 *   2. when Next calls process.exit after the last response, close the database and
 *      exit 0 instead: every acknowledged write was committed before its response.
 * Without Next's handler (NEXT_MANUAL_SIG_HANDLE, scripts) step 2 follows step 1.
 * NEXUS_SHUTDOWN_TIMEOUT_SECONDS bounds the wait for in-flight requests.
 */
function handleSignals() {
  const nextHandles = process.listenerCount("SIGTERM") > 0;
  const realExit = process.exit.bind(process) as (code?: number) => never;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = env().NEXUS_SHUTDOWN_TIMEOUT_SECONDS * 1000;
    log().info(
      { signal, inFlight: inFlightRequests() },
      "shutting down: not accepting new connections, finishing in-flight requests",
    );
    const hooksDone = runShutdownHooks((err) => log().error({ err }, "shutdown hook failed"));
    let finishing: Promise<void> | undefined;
    const finish = (reason: string, code: number) =>
      (finishing ??= (async () => {
        await hooksDone;
        await closeDatabase().catch((err) => log().error({ err }, "closing the database failed"));
        log().info({ reason }, "shutdown complete");
        realExit(code);
      })());
    const timer = setTimeout(() => {
      log().warn(
        { inFlight: inFlightRequests(), timeoutMs },
        "shutdown timeout: exiting with requests still open",
      );
      void finish("timeout", 1);
    }, timeoutMs);
    timer.unref();
    if (nextHandles) {
      process.exit = ((code?: number) => {
        void finish(`HTTP server closed (next exit ${code ?? 0})`, 0);
      }) as typeof process.exit;
    } else void finish("no HTTP server to drain", 0);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
