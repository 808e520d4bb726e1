import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIFF } from "../helpers/api";
import { testDbKind } from "../helpers/db";
import {
  prepareDatabase,
  removeDatabase,
  startServer,
  type TestDatabase,
  type TestServer,
} from "../helpers/server";
import { startTcpProxy, type ProxyMode, type TcpProxy } from "../helpers/tcp-proxy";

/*
 * A PostgreSQL outage under load, against a real started server whose database
 * connection goes through a TCP proxy the test cuts (refused, then black-holed): every
 * answer comes within 5 s (503 service_unavailable with Retry-After, or health's 503),
 * and the server recovers on its own when the proxy is back.
 */

const ANSWER_MS = 5000;
const CLIENT_TIMEOUT_MS = 15_000;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Sample {
  what: string;
  status: number;
  ms: number;
  retryAfter: string | null;
  code?: string;
}

let proxy: TcpProxy;
let database: TestDatabase;
let server: TestServer;
let agent: string;

beforeAll(async () => {
  if (testDbKind !== "server") return;
  proxy = await startTcpProxy(
    Number(process.env.DB_PORT || 5432),
    process.env.DB_HOST || "127.0.0.1",
  );
  database = await prepareDatabase({ agent: "agent" });
  agent = database.keys.agent!;
  server = await startServer(await freePort(), database, {
    DB_HOST: "127.0.0.1",
    DB_PORT: String(proxy.port),
    LOG_LEVEL: "warn",
  });
}, 600_000);

afterAll(async () => {
  if (testDbKind !== "server") return;
  await server?.stop();
  // OUTAGE_LOG=<file>: keep the server's log for a look at what failed and how
  if (process.env.OUTAGE_LOG) fs.writeFileSync(process.env.OUTAGE_LOG, server?.output() ?? "");
  await proxy?.close();
  if (database) await removeDatabase(database);
});

async function call(what: string, path: string, init: RequestInit = {}): Promise<Sample> {
  const started = performance.now();
  try {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = JSON.parse(text)?.error?.code;
    } catch {
      /* not JSON */
    }
    return {
      what,
      status: res.status,
      ms: performance.now() - started,
      retryAfter: res.headers.get("retry-after"),
      code,
    };
  } catch {
    return { what, status: 0, ms: performance.now() - started, retryAfter: null };
  }
}

const auth = () => ({ authorization: `Bearer ${agent}` });
const calls = [
  () =>
    call("submit", "/api/v1/approvals", {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ file_path: "a.ts", diff: DIFF, agent_id: "outage" }),
    }),
  () => call("list", "/api/v1/approvals?limit=5", { headers: auth() }),
  () => call("me", "/api/v1/me", { headers: auth() }),
  () => call("metrics", "/api/v1/metrics?period=7d", { headers: auth() }),
  () => call("health", "/api/health"),
];

/** `clients` loops of mixed requests for `ms`; every sample. */
async function load(ms: number, clients = 8): Promise<Sample[]> {
  const samples: Sample[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      let n = i;
      while (Date.now() < until) samples.push(await calls[n++ % calls.length]!());
    }),
  );
  return samples;
}

function summary(label: string, samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  console.log(
    `${label}: ${samples.length} requests, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${Math.round(ms.at(-1) ?? 0)} ms, statuses ${JSON.stringify(statuses)}`,
  );
}

/** Time from restoring the proxy until a submit and a list succeed. */
async function recovery(): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [submit, list] = [await calls[0]!(), await calls[1]!()];
    if (submit.status === 201 && list.status === 200) return Date.now() - started;
    if (Date.now() - started > 30_000)
      throw new Error(`no recovery: ${JSON.stringify([submit, list])}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectFastFailures(samples: Sample[]) {
  expect(samples.length).toBeGreaterThan(20);
  for (const s of samples) {
    expect(s.ms, `${s.what} took ${Math.round(s.ms)} ms`).toBeLessThan(ANSWER_MS);
    // a request that reached the database before the cut may still have succeeded
    if (s.status >= 200 && s.status < 300) continue;
    expect(s.status, s.what).toBe(503);
    if (s.what !== "health") {
      expect(s.code, s.what).toBe("service_unavailable");
      expect(s.retryAfter, s.what).toMatch(/^\d+$/);
    }
  }
}

describe.runIf(testDbKind === "server")("a PostgreSQL outage under load", () => {
  test("healthy through the proxy", async () => {
    const samples = await load(2000, 4);
    summary("healthy", samples);
    expect(samples.every((s) => s.status === 200 || s.status === 201)).toBe(true);
  });

  for (const mode of ["refuse", "blackhole"] as ProxyMode[]) {
    test(`${mode}: every answer within 5 s (503 + Retry-After), then recovery without a restart`, async () => {
      const before = await load(1000, 4); // warm pool: connections open when the cut comes
      expect(before.every((s) => s.status < 300)).toBe(true);
      proxy.set(mode);
      const during = await load(mode === "blackhole" ? 12_000 : 6000);
      summary(mode, during);
      expectFastFailures(during);
      expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(during.length / 2);
      proxy.set("up");
      const took = await recovery();
      console.log(`${mode}: recovered ${took} ms after the proxy came back`);
      const after = await load(1500, 4);
      summary(`${mode}, after`, after);
      expect(after.every((s) => s.status === 200 || s.status === 201)).toBe(true);
    }, 120_000);
  }
});
