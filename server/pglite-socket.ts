import "server-only";
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { log } from "@/lib/log";

/*
 * psql (and the admin CLI) into the embedded database while the server runs: the
 * PostgreSQL wire protocol on loopback, served by @electric-sql/pglite-socket's
 * per-connection handler (startup, SSL refusal, message framing) with our own
 * scheduler in place of its query queue.
 *
 * PGlite is ONE backend session shared by the app and every socket session. The
 * library's queue only takes PGlite's query lock, so an app query could run inside a
 * transaction psql opened (and a psql statement inside an app transaction). Here a
 * socket session takes PGlite's *transaction* lock, the one every app query and
 * transaction waits on, and keeps it while its work is unfinished: an extended-protocol
 * exchange up to its Sync, or an explicit transaction up to COMMIT/ROLLBACK. So the app
 * never sees psql's transaction; it waits. A session that sits idle holding the lock is
 * rolled back and disconnected after `idleTransactionMs`.
 *
 * statement_timeout is set for socket work, but PGlite (WASM, no timer signals) does not
 * enforce it: a long psql query runs to its end and blocks the whole process meanwhile
 * (docs/operations.md).
 */

export interface PgliteSocketOptions {
  port: number;
  statementTimeoutMs: number;
  idleTransactionMs: number;
  maxConnections?: number;
}

export interface PgliteSocketServer {
  port: number;
  /** Socket sessions connected now (status page, metrics). */
  sessions(): number;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function isLoopback(address: string | undefined): boolean {
  return !!address && (LOOPBACK.has(address) || address.startsWith("127."));
}

const g = globalThis as unknown as { __nexusPgliteSocket?: PgliteSocketServer };

/** The running socket server of this process, if any. */
export function pgliteSocket(): PgliteSocketServer | undefined {
  return g.__nexusPgliteSocket;
}

/** One simple query straight to the protocol (inside the lock we already hold). */
async function raw(pg: PGlite, sql: string): Promise<string[]> {
  const body = Buffer.from(`${sql}\0`, "utf8");
  const msg = Buffer.alloc(5 + body.length);
  msg.write("Q", 0, "ascii");
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  const { messages } = await pg.execProtocol(new Uint8Array(msg), { throwOnError: false });
  const values: string[] = [];
  for (const m of messages as unknown as { name: string; fields?: unknown[] }[])
    if (m.name === "dataRow") values.push(String(m.fields?.[0] ?? ""));
  return values;
}

const Q = 0x51; // 'Q' simple query
const S = 0x53; // 'S' Sync: ends an extended-protocol exchange
const X = 0x58; // 'X' Terminate

/** Lets sessions take turns on PGlite, excluding the app while one holds it. */
class SessionGate {
  private holder: { id: number; release: () => void; savedTimeout: string } | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private queueLength = 0;
  private readonly lockPg: PGlite["_runExclusiveTransaction"];

  constructor(
    private readonly pg: PGlite,
    private readonly opts: PgliteSocketOptions,
    private readonly onIdleTimeout: (id: number) => void,
  ) {
    this.lockPg = pg._runExclusiveTransaction.bind(pg);
  }

  private async acquire(id: number) {
    this.queueLength++;
    try {
      for (;;) {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const acquired = new Promise<void>((resolve, reject) => {
          this.lockPg(async () => {
            resolve();
            await held;
          }).catch(reject); // the app's guard may time the wait out: try again
        });
        try {
          await acquired;
        } catch {
          continue;
        }
        const [saved] = await raw(this.pg, "SHOW statement_timeout");
        await raw(this.pg, `SET statement_timeout = ${this.opts.statementTimeoutMs}`);
        this.holder = { id, release, savedTimeout: saved ?? "0" };
        return;
      }
    } finally {
      this.queueLength--;
    }
  }

  private async release() {
    const h = this.holder;
    if (!h) return;
    clearTimeout(this.idleTimer);
    this.holder = null;
    try {
      // Settings psql changed would otherwise stay on the app's session.
      await raw(this.pg, "RESET ALL");
      await raw(this.pg, "SET TIME ZONE 'UTC'");
      await raw(this.pg, `SET statement_timeout = '${h.savedTimeout.replace(/'/g, "")}'`);
    } finally {
      h.release();
    }
  }

  async enqueue(id: number, message: Uint8Array, onData: (data: Uint8Array) => void) {
    if (this.holder?.id !== id) await this.acquire(id);
    clearTimeout(this.idleTimer);
    let bytes = 0;
    try {
      await this.pg.runExclusive(() =>
        this.pg.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            onData(data);
          },
        }),
      );
    } catch (err) {
      if (this.pg.isInTransaction()) await raw(this.pg, "ROLLBACK");
      await this.release();
      throw err;
    }
    const type = message[0];
    const startup = type === 0; // StartupMessage has no type byte (length's high byte)
    const endsExchange = type === Q || type === S || type === X || startup;
    if (endsExchange && !this.pg.isInTransaction()) await this.release();
    else {
      this.idleTimer = setTimeout(() => void this.expire(id), this.opts.idleTransactionMs);
      this.idleTimer.unref();
    }
    return bytes;
  }

  private async expire(id: number) {
    if (this.holder?.id !== id) return;
    log().warn(
      { session: id, idleMs: this.opts.idleTransactionMs },
      "psql socket: a session held the embedded database idle inside a transaction; rolled back and disconnected",
    );
    if (this.pg.isInTransaction()) await raw(this.pg, "ROLLBACK");
    await this.release();
    this.onIdleTimeout(id);
  }

  clearQueueForHandler() {
    /* each handler awaits its own messages one by one: nothing of it is queued here */
  }

  async clearTransactionIfNeeded(id: number) {
    if (this.holder?.id !== id) return;
    if (this.pg.isInTransaction()) await raw(this.pg, "ROLLBACK");
    await this.release();
  }

  getQueueLength() {
    return this.queueLength;
  }
}

/** Serve the wire protocol for `pg` on 127.0.0.1:`port` (0: any free port). */
export async function startPgliteSocket(
  pg: PGlite,
  opts: PgliteSocketOptions,
): Promise<PgliteSocketServer> {
  const sockets = new Map<number, net.Socket>();
  const gate = new SessionGate(pg, opts, (id) => sockets.get(id)?.destroy());
  const max = opts.maxConnections ?? 8;
  const server = net.createServer((socket) => {
    // Bound to 127.0.0.1 already; refuse anything else all the same.
    if (!isLoopback(socket.remoteAddress) || sockets.size >= max) {
      socket.destroy();
      return;
    }
    const handler = new PGLiteSocketHandler({
      queryQueue: gate as unknown as ConstructorParameters<
        typeof PGLiteSocketHandler
      >[0]["queryQueue"],
      closeOnDetach: true,
    });
    const id = handler.handlerId;
    sockets.set(id, socket);
    socket.once("close", () => sockets.delete(id));
    handler.addEventListener("error", () => sockets.delete(id));
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const running: PgliteSocketServer = {
    port: address.port,
    sessions: () => sockets.size,
    async stop() {
      if (g.__nexusPgliteSocket === running) g.__nexusPgliteSocket = undefined;
      for (const s of sockets.values()) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  g.__nexusPgliteSocket = running;
  return running;
}
