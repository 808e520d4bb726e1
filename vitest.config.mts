import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/empty.ts"),
      "@": path.resolve(import.meta.dirname),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    env: { LOG_LEVEL: "warn" },
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
