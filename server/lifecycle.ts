/*
 * Process lifecycle state shared by every copy of the server modules (Next.js loads
 * modules more than once, so it lives on globalThis). No imports: safe everywhere.
 */
export type ShutdownHook = () => Promise<void> | void;

interface Lifecycle {
  hooks: ShutdownHook[];
  shuttingDown: boolean;
}
const g = globalThis as unknown as { __nexusLifecycle?: Lifecycle };
const state = (): Lifecycle => (g.__nexusLifecycle ??= { hooks: [], shuttingDown: false });

/**
 * Register work to run as soon as SIGTERM/SIGINT arrives, while in-flight requests
 * finish and before the database closes (hooks run in reverse order of registration).
 * Long polls and event streams use it to answer with their current state at once.
 */
export function onShutdown(hook: ShutdownHook) {
  state().hooks.push(hook);
}

/** True from the moment a shutdown signal arrived: answer long polls now, fail health. */
export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

/** Mark the process as stopping and run the hooks (each once; errors go to `onError`). */
export async function runShutdownHooks(onError: (err: unknown) => void) {
  const s = state();
  s.shuttingDown = true;
  const hooks = s.hooks.splice(0).reverse();
  for (const hook of hooks) {
    try {
      await hook();
    } catch (err) {
      onError(err);
    }
  }
}
