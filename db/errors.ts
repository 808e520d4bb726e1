/** Errors from opening the database that entry points print as one clear line. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
  /** the process holding the embedded folder, when known */
  pid?: number;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** True when the error means "the database could not be reached", not a bad query. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const code = errorCode(err);
  if (code && (NETWORK_CODES.has(code) || code.startsWith("57P") || code.startsWith("08")))
    return true;
  const cause =
    err && typeof err === "object" && "cause" in err
      ? (err as { cause: unknown }).cause
      : undefined;
  return cause !== undefined && cause !== err ? isConnectionError(cause) : false;
}
