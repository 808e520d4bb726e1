import net from "node:net";

/*
 * A TCP proxy of the test's own between Nexus and PostgreSQL, to simulate outages
 * without touching the shared server:
 * - "up": forwards;
 * - "refuse": existing connections are reset, new ones are reset at once (RST);
 * - "blackhole": existing connections stop carrying bytes in either direction and new
 *   ones are accepted but never answered (packets dropped: the nasty case, no error
 *   ever reaches the client). Connections black-holed stay dead after the proxy is
 *   back up, like a NAT or firewall that forgot them.
 */

export type ProxyMode = "up" | "refuse" | "blackhole";

export interface TcpProxy {
  port: number;
  set(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = "127.0.0.1",
): Promise<TcpProxy> {
  let mode: ProxyMode = "up";
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null; dead: boolean }>();

  const server = net.createServer((client) => {
    const pair = { client, upstream: null as net.Socket | null, dead: false };
    pairs.add(pair);
    client.on("error", () => {});
    client.on("close", () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (mode === "blackhole") {
      pair.dead = true;
      client.on("data", () => {}); // swallow
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("data", (d) => {
      if (!pair.dead) upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (!pair.dead) client.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    set(next) {
      mode = next;
      if (next === "up") return;
      for (const pair of [...pairs]) {
        if (next === "refuse") {
          pair.client.resetAndDestroy();
          pair.upstream?.destroy();
        } else pair.dead = true;
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
