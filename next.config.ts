import type { NextConfig } from "next";

/*
 * Security headers on every response. Pages get their Content-Security-Policy (with a
 * per-request script nonce) and HSTS from proxy.ts; everything else (the API's JSON,
 * static files) gets this strict one, which allows nothing to run.
 */
const staticContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // `NEXT_OUTPUT=standalone npm run build` for the Docker image; `npm start` uses the normal build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-tools", "pino"],
  // Files the standalone server reads at run time that tracing cannot see: migrations
  // (read from process.cwd()/drizzle), PGlite's / pg_dump's WASM and data files, the agent CLI.
  outputFileTracingIncludes: {
    "/**": [
      "./drizzle/**/*",
      "./node_modules/@electric-sql/pglite/dist/**/*",
      "./node_modules/@electric-sql/pglite-tools/dist/**/*",
      // served by GET /nexus-agent.mjs (app/nexus-agent.mjs/route.ts)
      "./scripts/nexus-agent.mjs",
    ],
  },
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  experimental: { authInterrupts: true },
  // Server actions keep Next.js's Origin/Host check (no `serverActions.allowedOrigins`).
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: staticContentSecurityPolicy }],
      },
      {
        source: "/_next/static/:path*",
        headers: [{ key: "Content-Security-Policy", value: staticContentSecurityPolicy }],
      },
    ];
  },
};

export default nextConfig;
