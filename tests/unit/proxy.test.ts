import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

/* proxy.ts on every page request: a CSP with a fresh script nonce, and HSTS over https. */
const ENV = ["NEXUS_PUBLIC_URL", "NEXUS_TRUST_PROXY"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
});

function run(url: string, headers: Record<string, string> = {}, env: Record<string, string> = {}) {
  for (const k of ENV) delete process.env[k];
  Object.assign(process.env, env);
  resetEnvCache();
  return proxy(new NextRequest(url, { headers }));
}

describe("proxy.ts", () => {
  it("sends a CSP whose scripts need this response's nonce, never 'unsafe-inline'", () => {
    const a = run("http://localhost:3000/").headers.get("content-security-policy")!;
    const b = run("http://localhost:3000/").headers.get("content-security-policy")!;
    const script = /script-src ([^;]*)/.exec(a)![1]!;
    expect(script).toMatch(/^'self' 'nonce-[A-Za-z0-9+/]{24}' 'strict-dynamic'$/);
    expect(a).not.toBe(b);
    // Styles keep 'unsafe-inline' (React's style attributes).
    expect(a).toContain("style-src 'self' 'unsafe-inline'");
  });

  it("sends Strict-Transport-Security only when the request came over https", () => {
    const hsts = (r: Response) => r.headers.get("strict-transport-security");
    expect(hsts(run("http://localhost:3000/"))).toBeNull();
    expect(
      hsts(run("http://nexus.example.com/", {}, { NEXUS_PUBLIC_URL: "https://nexus.example.com" })),
    ).toBe("max-age=31536000");
    // A client-sent X-Forwarded-Proto counts only behind a trusted proxy.
    expect(hsts(run("http://localhost:3000/", { "x-forwarded-proto": "https" }))).toBeNull();
    expect(
      hsts(
        run("http://localhost:3000/", { "x-forwarded-proto": "https" }, { NEXUS_TRUST_PROXY: "1" }),
      ),
    ).toBe("max-age=31536000");
    expect(
      hsts(
        run(
          "http://localhost:3000/",
          { "x-forwarded-proto": "http" },
          { NEXUS_TRUST_PROXY: "true", NEXUS_PUBLIC_URL: "https://nexus.example.com" },
        ),
      ),
    ).toBeNull();
  });
});
