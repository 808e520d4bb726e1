import pino from "pino";
import { env } from "./env";

type Logger = pino.Logger;
const g = globalThis as unknown as { __nexusLog?: Logger };

/**
 * Structured JSON logs to stdout. One logger per process (Next loads modules more than
 * once). Never log secrets, diffs, answers or request bodies.
 */
export function log(): Logger {
  if (!g.__nexusLog) {
    let level = "info";
    try {
      level = env().LOG_LEVEL;
    } catch {
      /* bad config is reported by whoever parses it */
    }
    g.__nexusLog = pino({
      level,
      base: { app: "nexus" },
      timestamp: pino.stdTimeFunctions.isoTime,
    });
  }
  return g.__nexusLog;
}
