import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDatabase, getDatabase, type Database } from "@/db/client";
import { dbConfigFrom, resetEnvCache, type DbConfig } from "@/lib/env";

/**
 * Integration tests run against a real database: PGlite by default, the PostgreSQL
 * server when NEXUS_TEST_DB=server (with DB_HOST/DATABASE_URL pointing at it).
 * Each test file gets its own fresh database.
 */
export const testDbKind: "embedded" | "server" =
  process.env.NEXUS_TEST_DB === "server" ? "server" : "embedded";

const SERVER_VARS = [
  "DATABASE_URL",
  "DB_HOST",
  "DB_PORT",
  "DB_USER",
  "DB_PASSWORD",
  "NEXUS_DB",
] as const;

export function uniqueName(prefix = "nexus_test") {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Point process.env at a fresh database for this test file; returns its config. */
export function freshTestConfig(): DbConfig {
  if (testDbKind === "server") {
    if (!process.env.DATABASE_URL && !process.env.DB_HOST) process.env.DB_HOST = "127.0.0.1";
    if (process.env.DATABASE_URL) {
      const u = new URL(process.env.DATABASE_URL);
      u.pathname = `/${uniqueName()}`;
      process.env.DATABASE_URL = u.toString();
    } else {
      process.env.NEXUS_DB = uniqueName();
    }
  } else {
    for (const k of SERVER_VARS) delete process.env[k];
    process.env.NEXUS_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-test-"));
  }
  resetEnvCache();
  return dbConfigFrom(process.env);
}

/** Open (and migrate) the process database on a fresh test database. */
export async function setupTestDatabase(): Promise<Database> {
  freshTestConfig();
  return getDatabase();
}

/** Close the process database and remove the test database. */
export async function teardownTestDatabase(database?: Database) {
  const config = database?.config;
  await closeDatabase();
  if (config) await dropTestDatabase(config);
}

export async function dropTestDatabase(config: DbConfig) {
  if (config.kind === "embedded") {
    fs.rmSync(config.dataDir, { recursive: true, force: true });
    return;
  }
  const admin = postgres(config.maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${config.database}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 2 });
  }
}
