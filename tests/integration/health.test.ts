import net from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeDatabase, getDatabase } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { dropTestDatabase, freshTestConfig, testDbKind } from "../helpers/db";

/*
 * /api/health when PostgreSQL goes away under a running process: the database is
 * reached through a TCP proxy the test controls. Server mode only.
 */
describe.runIf(testDbKind === "server")("health when the database goes down", () => {
  const sockets = new Set<net.Socket>();
  let mode: "forward" | "refuse" | "blackhole" = "forward";
  const proxy = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (mode === "refuse") return void client.destroy();
    if (mode === "blackhole") return; // accept, never answer
    const upstream = net.connect(5432, process.env.DB_HOST || "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  const config = freshTestConfig();
  afterAll(async () => {
    mode = "forward";
    await closeDatabase().catch(() => {});
    for (const s of sockets) s.destroy();
    proxy.close();
    await dropTestDatabase(config);
  });

  async function health() {
    const t0 = Date.now();
    const res = await GET(new Request("http://nexus.test/api/health"));
    return { status: res.status, body: await res.json(), ms: Date.now() - t0, res };
  }

  test("200 while reachable, then 503 within the 2 s deadline when connections fail or hang", async () => {
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    process.env.DB_PORT = String((proxy.address() as net.AddressInfo).port);
    resetEnvCache();
    await getDatabase();
    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ status: "ok", database: "ok" });
    expect(up.res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    mode = "refuse"; // the server is gone: existing connections drop, new ones fail
    for (const s of sockets) s.destroy();
    const refused = await health();
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ status: "unavailable", database: "unreachable" });
    expect(refused.ms).toBeLessThan(2500);

    mode = "blackhole"; // a hung network: connections open but nothing answers
    const hung = await health();
    expect(hung.status).toBe(503);
    expect(hung.ms).toBeGreaterThanOrEqual(1900);
    expect(hung.ms).toBeLessThan(3000);
  }, 30_000);
});
