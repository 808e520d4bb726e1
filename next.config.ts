import type { NextConfig } from "next";

/*
 * Security headers on every response. The CSP has no 'unsafe-eval' in production
 * (`next dev` needs it for React's debugging); 'unsafe-inline' scripts are needed by
 * Next.js's inline bootstrap without per-request nonces, 'unsafe-inline' styles by
 * emotion (the diff viewer), and `worker-src blob:` by the diff viewer's Web Worker.
 */
const dev = process.env.NODE_ENV === "development";
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
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
  // (read from process.cwd()/drizzle) and PGlite's / pg_dump's WASM and data files.
  outputFileTracingIncludes: {
    "/**": [
      "./drizzle/**/*",
      "./node_modules/@electric-sql/pglite/dist/**/*",
      "./node_modules/@electric-sql/pglite-tools/dist/**/*",
    ],
  },
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  experimental: { authInterrupts: true },
  // Server actions keep Next.js's Origin/Host check (no `serverActions.allowedOrigins`).
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
