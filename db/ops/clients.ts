import type { PGlite } from "@electric-sql/pglite";
import type postgres from "postgres";
import type { Database } from "../client";

/** The PGlite instance under an embedded Database (drizzle keeps it as `$client`). */
export function pgliteOf(database: Database): PGlite {
  if (database.config.kind !== "embedded") throw new Error("not an embedded database");
  return (database.db as unknown as { $client: PGlite }).$client;
}

/** The postgres.js pool under a server Database. */
export function postgresOf(database: Database): postgres.Sql {
  if (database.config.kind !== "server") throw new Error("not a PostgreSQL server database");
  return (database.db as unknown as { $client: postgres.Sql }).$client;
}
