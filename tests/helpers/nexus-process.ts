/*
 * A Nexus server process without the HTTP part: the same startNexus() that
 * instrumentation.ts runs (database, migrations, scheduled backups, signal handling).
 * Tests start several of these to exercise what processes share through PostgreSQL.
 */
import { startNexus } from "@/server/start";

void startNexus().then(() => {
  console.log("nexus-process: started");
  setInterval(() => {}, 1 << 30);
});
