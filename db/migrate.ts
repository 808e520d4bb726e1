import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DbConfig } from "@/lib/env";
import { errorCode } from "./errors";

type ServerConfig = Extract<DbConfig, { kind: "server" }>;

/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
export const MIGRATION_LOCK_ID = 7_243_001;

const clientOptions = {
  max: 1,
  onnotice: () => {},
  connect_timeout: 10,
  connection: { TimeZone: "UTC", application_name: "nexus-migrate" },
} as const;

/**
 * Create the configured database if it does not exist, through the server's `postgres`
 * maintenance database. Two processes racing here both succeed.
 */
export async function ensureServerDatabase(config: ServerConfig): Promise<"created" | "exists"> {
  // Try the target first: the common case needs no maintenance connection (or rights).
  const probe = postgres(config.url, clientOptions);
  try {
    await probe`SELECT 1`;
    return "exists";
  } catch (err) {
    if (errorCode(err) !== "3D000") throw err; // 3D000: database does not exist
  } finally {
    await probe.end({ timeout: 2 });
  }
  const admin = postgres(config.maintenanceUrl, clientOptions);
  try {
    const found = await admin`SELECT 1 FROM pg_database WHERE datname = ${config.database}`;
    if (found.length > 0) return "exists";
    await admin.unsafe(`CREATE DATABASE "${config.database.replace(/"/g, '""')}"`);
    return "created";
  } catch (err) {
    const code = errorCode(err);
    if (code === "42P04" || code === "23505") return "exists"; // lost the race: fine
    throw err;
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/**
 * Apply pending migrations under a session advisory lock: a second process starting
 * at the same moment waits, then finds nothing left to do.
 */
export async function migrateServer(config: ServerConfig, migrationsFolder: string) {
  const sql = postgres(config.url, clientOptions);
  try {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(drizzlePostgres(sql), { migrationsFolder });
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function migrateEmbedded(pg: PGlite, migrationsFolder: string) {
  await migratePglite(drizzlePglite(pg), { migrationsFolder });
}
