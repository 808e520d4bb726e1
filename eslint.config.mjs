import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * Layers (docs/architecture.md): lib/ is pure (parsers, formatting, schemas, the
 * description of request kinds; plus the env and log leaves), db/ talks to the database
 * and may use lib/, server/ talks to the process (auth, events, the HTTP edge, the domain
 * services) and may use both. Imports may only point down.
 */
const SERVER = {
  group: ["@/server", "@/server/*", "**/server/*"],
  message: "lib/ and db/ must not depend on server/ (the layer that talks to the process).",
};
const UPPER = {
  group: ["@/app/*", "@/components/*", "next", "next/*"],
  message: "lib/ and db/ sit below pages and components: no Next.js here.",
};
const SERVER_ONLY = {
  group: ["server-only", "react"],
  message: "lib/ is the pure layer: nothing in it needs the server.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["db/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [SERVER, UPPER] }],
    },
  },
  {
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            SERVER,
            UPPER,
            SERVER_ONLY,
            {
              group: ["@/db", "@/db/*"],
              allowTypeImports: true,
              message: "lib/ is the pure layer: it may import types from db/, never its code.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    ".nexus/**",
    "node_modules/**",
    "drizzle/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
    "bench/results/**",
  ]),
]);
