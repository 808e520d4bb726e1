import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A webhook receiver on 127.0.0.1 for the tests: records every request and answers as
 * `respond` says (a status code, or "hang" to never answer). `down()` closes the port
 * (connection refused), `up()` listens on the same port again.
 */
export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer = number | "hang";

export interface Receiver {
  url: string;
  received: Received[];
  respond: (r: Received) => Answer;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** resolves when `n` requests arrived (rejects after `timeoutMs`) */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
}

export async function startReceiver(
  respond: (r: Received) => Answer = () => 200,
): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const waiters: (() => void)[] = [];
  let server: http.Server;
  const self: Receiver = {
    url: "",
    received,
    respond,
    async down() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
    async up() {
      await listen(port);
    },
    async close() {
      await self.down().catch(() => {});
    },
    waitFor(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length >= n) {
            clearTimeout(t);
            resolve(received.slice());
            return true;
          }
          return false;
        };
        const t = setTimeout(
          () => reject(new Error(`receiver: ${received.length} of ${n} requests arrived`)),
          timeoutMs,
        );
        const w = () => {
          if (!check()) waiters.push(w);
        };
        w();
      });
    },
  };
  let port = 0;
  const listen = (p: number) =>
    new Promise<void>((resolve) => {
      server = http.createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const r: Received = { at: Date.now(), path: req.url ?? "", headers: req.headers, body };
          received.push(r);
          for (const w of waiters.splice(0)) w();
          const answer = self.respond(r);
          if (answer === "hang") {
            hanging.add(res);
            return;
          }
          res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "nope");
        });
      });
      server.listen(p, "127.0.0.1", () => {
        port = (server.address() as AddressInfo).port;
        self.url = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  await listen(0);
  return self;
}
