import postgres from "postgres";

/** The bench's PostgreSQL server settings (the local server by default). */
export function serverEnv(database: string): Record<string, string> {
  return {
    DB_HOST: process.env.DB_HOST || "127.0.0.1",
    DB_PORT: process.env.DB_PORT || "5432",
    DB_USER: process.env.DB_USER || "postgres",
    ...(process.env.DB_PASSWORD ? { DB_PASSWORD: process.env.DB_PASSWORD } : {}),
    NEXUS_DB: database,
  };
}

export function serverUrl(database: string) {
  const e = serverEnv(database);
  const auth = e.DB_USER + (e.DB_PASSWORD ? `:${encodeURIComponent(e.DB_PASSWORD)}` : "");
  return `postgres://${auth}@${e.DB_HOST}:${e.DB_PORT}/${database}`;
}

/** Drop and recreate a benchmark database (Nexus migrates it when it opens it). */
export async function recreateDatabase(database: string) {
  const admin = postgres(serverUrl("postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Point this process's Nexus modules (getDatabase) at `database` on the server. The
 * benchmarks of one `npm run bench` share a process: the database an earlier one opened
 * is closed and the environment read again, else its keys and users would land there.
 */
export async function pointAtServerDatabase(database: string) {
  const { closeDatabase } = await import("@/db/client");
  const { resetEnvCache } = await import("@/lib/env");
  await closeDatabase();
  for (const [k, v] of Object.entries(serverEnv(database))) process.env[k] = v;
  delete process.env.DATABASE_URL;
  resetEnvCache();
}

/** A realistic unified diff of roughly `bytes` bytes (2–20 KB in the benchmarks). */
export function makeDiff(bytes: number, seed = 0): string {
  const lines = [`--- a/src/module_${seed}.ts`, `+++ b/src/module_${seed}.ts`];
  let size = lines.join("\n").length;
  let hunk = 0;
  while (size < bytes) {
    const start = 1 + hunk * 40;
    const body = [
      `   export function handler${hunk}(input: Input): Output {`,
      `-  const value = compute(input, ${hunk});`,
      `+  const value = computeSafely(input, ${hunk}, { retries: 3 });`,
      `   if (!value) return fallback;`,
      `+  metrics.increment("handler${hunk}.ok");`,
      `   return transform(value);`,
      `   }`,
    ];
    const block = [`@@ -${start},6 +${start},7 @@ export class Service${seed} {`, ...body];
    lines.push(...block);
    size += block.join("\n").length + 1;
    hunk++;
  }
  return lines.join("\n") + "\n";
}
