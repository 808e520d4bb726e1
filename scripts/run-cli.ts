import { ConfigError } from "@/lib/env";
import { DatabaseLockedError, DatabaseUnavailableError } from "@/db/errors";
import { closeDatabase, reachRunningServerThroughSocket } from "@/db/client";

/** Errors (by name) whose message is enough: no stack trace. */
const EXPECTED_ERRORS = new Set([
  "UsageError",
  "ApiKeyNameTaken",
  "EmailTaken",
  "LastAdmin",
  "BackupError",
  "RestoreError",
  "ExportError",
  "AuditBroken",
]);

/** Run a command; expected failures print one line (no stack trace) and exit 1. */
export function runCli(main: () => Promise<void>) {
  reachRunningServerThroughSocket();
  main().then(
    async () => {
      await closeDatabase();
      process.exit(0);
    },
    async (err: unknown) => {
      const expected =
        err instanceof ConfigError ||
        err instanceof DatabaseLockedError ||
        err instanceof DatabaseUnavailableError ||
        (err instanceof Error && EXPECTED_ERRORS.has(err.name));
      console.error(
        `nexus: ${expected ? (err as Error).message : ((err as Error)?.stack ?? String(err))}`,
      );
      await closeDatabase().catch(() => {});
      process.exit(1);
    },
  );
}
