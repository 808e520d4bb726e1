import "server-only";
import { ConfigError, env } from "@/lib/env";
import { closeDatabase, getDatabase } from "@/db/client";
import { DatabaseLockedError, DatabaseUnavailableError } from "@/db/errors";
import { log } from "@/lib/log";

type Hook = () => Promise<void> | void;
const g = globalThis as unknown as { __nexusStarted?: boolean; __nexusShutdownHooks?: Hook[] };

/** Register work to do on SIGTERM/SIGINT before the database closes (run in reverse order). */
export function onShutdown(hook: Hook) {
  (g.__nexusShutdownHooks ??= []).push(hook);
}

/**
 * Server start (instrumentation.ts): validate configuration, open and migrate the
 * database before the first request, and close it cleanly on SIGTERM/SIGINT.
 * Bad configuration or an unreachable database exits with one clear line.
 */
export async function startNexus() {
  if (g.__nexusStarted) return;
  g.__nexusStarted = true;
  try {
    env();
    await getDatabase();
  } catch (err) {
    const expected =
      err instanceof ConfigError ||
      err instanceof DatabaseLockedError ||
      err instanceof DatabaseUnavailableError;
    console.error(
      `nexus: ${expected ? (err as Error).message : String((err as Error)?.stack ?? err)}`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log().info({ signal }, "shutting down");
    for (const hook of [...(g.__nexusShutdownHooks ?? [])].reverse()) {
      try {
        await hook();
      } catch (err) {
        log().error({ err }, "shutdown hook failed");
      }
    }
    await closeDatabase().catch((err) => log().error({ err }, "closing the database failed"));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
