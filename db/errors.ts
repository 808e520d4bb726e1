/** Errors from opening the database that entry points print as one clear line. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

/**
 * The database did not answer in time (statement timeout, an unanswered connection, a
 * request's deadline). Unlike a refused connection, a write may or may not have happened.
 */
export class DatabaseTimeoutError extends Error {
  override name = "DatabaseTimeoutError";
  readonly code = "NEXUS_DB_TIMEOUT";
}

/** SQLSTATE 57014: canceled by statement_timeout (or a cancel request). */
export function isTimeoutError(err: unknown): boolean {
  // by code, not instanceof: Next.js bundles this module more than once
  const code = errorCode(err);
  if (code === "NEXUS_DB_TIMEOUT" || code === "57014") return true;
  const cause =
    err && typeof err === "object" && "cause" in err
      ? (err as { cause: unknown }).cause
      : undefined;
  return cause !== undefined && cause !== err ? isTimeoutError(cause) : false;
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
