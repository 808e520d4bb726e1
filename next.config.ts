import type { NextConfig } from "next";

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
};

export default nextConfig;
