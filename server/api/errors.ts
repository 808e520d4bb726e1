import "server-only";
import { z } from "zod";
import { DatabaseLockedError, isConnectionError, isTimeoutError } from "@/db/errors";
import { log } from "@/lib/log";
import type { Approval, ErrorBody, ErrorCode, Question } from "@/lib/api/schemas";

/*
 * The one place that turns failures into HTTP answers (docs/api.md "Errors"). Handlers throw
 * ApiError (or let zod/database errors through); `errorResponse()` maps them. Nothing
 * reaches the client as a 500 with a stack trace.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly current?: Approval | Question,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
  get status() {
    return STATUS[this.code];
  }
}

export const unauthorized = () =>
  new ApiError("unauthorized", "Missing or invalid API key: send `Authorization: Bearer <key>`.");
export const forbidden = (what: string) =>
  new ApiError("forbidden", `This key's role does not allow ${what}.`);
export const notFound = (what: string) => new ApiError("not_found", `${what} not found.`);
export const rateLimited = (message: string, retryAfterS = 5) =>
  new ApiError("rate_limited", message, undefined, undefined, {
    "Retry-After": String(retryAfterS),
  });

/** zod issues → `details` by path (`context.a.0`, or `body` for the whole body). */
export function detailsFrom(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const parts = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...parts, key].join("."),
        message: "Unknown field",
      }));
    }
    return [{ path: parts.join(".") || "body", message: issue.message }];
  });
}

export function invalid(error: z.ZodError, message = "The request is invalid.", prefix?: string) {
  return new ApiError("invalid_request", message, detailsFrom(error, prefix));
}

export function jsonError(
  code: ErrorCode,
  message: string,
  extra: { details?: ErrorDetail[]; current?: Approval | Question; headers?: HeadersInit } = {},
) {
  const body: ErrorBody = { error: { code, message } };
  if (extra.details?.length) body.error.details = extra.details;
  if (extra.current) body.error.current = extra.current;
  return Response.json(body, {
    status: STATUS[code],
    headers: { "Cache-Control": "no-store", ...extra.headers },
  });
}

/** Map any thrown value to the error JSON of docs/api.md (`reqId` names the log line of a 500). */
export function errorResponse(err: unknown, reqId?: string): Response {
  if (err instanceof ApiError) {
    return jsonError(err.code, err.message, {
      details: err.details,
      current: err.current,
      headers: {
        ...(err.code === "unauthorized" ? { "WWW-Authenticate": "Bearer" } : {}),
        ...err.headers,
      },
    });
  }
  if (err instanceof z.ZodError) {
    return jsonError("invalid_request", "The request is invalid.", { details: detailsFrom(err) });
  }
  if (isTimeoutError(err)) {
    log().warn({ reqId, err }, "api: database did not answer in time");
    return jsonError("service_unavailable", "The database did not answer in time; retry later.", {
      headers: { "Retry-After": "2" },
    });
  }
  if (isConnectionError(err) || err instanceof DatabaseLockedError) {
    log().warn({ reqId, err }, "api: database unavailable");
    return jsonError(
      "service_unavailable",
      "The database is unreachable. Nothing was written; retry later.",
      { headers: { "Retry-After": "2" } },
    );
  }
  log().error({ reqId, err }, "request handler failed");
  return jsonError(
    "internal_error",
    reqId
      ? `Internal error (request id ${reqId}).`
      : "Something went wrong on our side. Retry later.",
  );
}
