import "server-only";
import type { z } from "zod";
import { apiPrincipal } from "@/server/auth/api-auth";
import { can, type Action, type Principal } from "@/lib/auth/principal";
import { requestContext } from "@/server/request-context";
import { withRequestLog, type EdgeOptions } from "@/server/request-log";
import { forbidden, invalid, jsonError, unauthorized } from "./errors";

/* Helpers every /api/ route handler uses: the edge wrapper, errors, auth, validation. */

/**
 * Wrap a route handler in the HTTP edge (server/request-log.ts): every failure becomes
 * the error JSON (never a stack), one log line per request, X-Request-Id, a deadline on
 * database work, and the request context that authorize() fills in.
 */
export function route<A extends unknown[]>(
  fn: (request: Request, ...rest: A) => Promise<Response>,
  options?: EdgeOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  return withRequestLog(fn, options);
}

const ACTION_TEXT: Record<Action, string> = {
  read: "reading requests",
  submit: "submitting requests",
  decide: "deciding requests (use a reviewer key)",
  admin: "administration",
};

/** The caller, or 401 (no/bad credentials) / 403 (role lacks `action`). */
export async function authorize(
  request: Request,
  action: Action,
  { allowSession = false } = {},
): Promise<Principal> {
  const principal = await apiPrincipal(request, { allowSession });
  if (!principal) throw unauthorized();
  const context = requestContext();
  if (context) context.principal = principal; // for the log line and per-principal limits
  if (!can(principal, action)) throw forbidden(ACTION_TEXT[action]);
  return principal;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message = "The request is invalid.",
  prefix?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, message, prefix);
  return result.data;
}

/** Query parameters as an object (a repeated parameter: the last one wins). */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** JSON 405 for the methods a route does not serve (Next would answer with no body). */
export function methodNotAllowed(allow: string) {
  return route(async () =>
    jsonError("method_not_allowed", `This endpoint accepts ${allow} only.`, {
      headers: { Allow: allow },
    }),
  );
}
