import pino from "pino";
import { env } from "./env";

type Logger = pino.Logger;
const g = globalThis as unknown as { __nexusLog?: Logger; __nexusLogFd?: number };

/** Send logs to stderr (the CLI: stdout carries the command's output, e.g. an export). */
export function logToStderr() {
  g.__nexusLogFd = 2;
  g.__nexusLog = undefined;
}

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
    g.__nexusLog = pino(
      {
        level,
        base: { app: "nexus" },
        timestamp: pino.stdTimeFunctions.isoTime,
        // never log credentials, even if an object carrying them is logged by mistake
        redact: {
          paths: [
            "password",
            "*.password",
            "authorization",
            "*.authorization",
            "apiKey",
            "*.apiKey",
            "key",
            "*.key",
          ],
          censor: "[redacted]",
        },
      },
      pino.destination({ fd: g.__nexusLogFd ?? 1, sync: true }),
    );
  }
  return g.__nexusLog;
}
