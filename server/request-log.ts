import "server-only";
import { randomUUID } from "node:crypto";
import { REQUEST_DB_BUDGET_MS, withDbDeadline } from "@/db/deadline";
import { log } from "@/lib/log";
import { errorResponse } from "./api/errors";
import { observeHttp } from "./metrics";
import { requestStore, type RequestContext } from "./request-context";

/*
 * The HTTP edge: every route handler under /api/ (and the history export) is wrapped by
 * withRequestLog (server/api/route.ts's route() is the same wrapper). It gives:
 * - one log line per request: request id, method, route (no query string), status,
 *   duration, principal (kind + name); never headers, bodies, diffs, answers or keys;
 * - an X-Request-Id response header (the caller's when it looks like an id);
 * - docs/api.md's error JSON for anything thrown (503 when the database is unreachable or
 *   too slow, 500 with the request id otherwise), never a stack trace;
 * - a request context (request id, principal) for code below the handler;
 * - a deadline on database work, so that an outage is answered within 5 s;
 * - the in-flight count that shutdown reports.
 */

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const g = globalThis as unknown as { __nexusInFlight?: number };

/** Requests currently inside a wrapped handler (shutdown reports it). */
export function inFlightRequests(): number {
  return g.__nexusInFlight ?? 0;
}

/** The caller's X-Request-Id when it looks like an id, else a fresh UUID. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get("x-request-id")?.trim();
  return given && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * Answers to writes (submit, decide, the Claude Code hook, MCP) are a few hundred bytes
 * of JSON: `no-transform` keeps Next.js from gzipping them (it compresses every response
 * whose length it does not know; measured: 0.5 ms of CPU per answer, a tenth of the
 * server's work on a rule-decided hook; issue 16). Reads (a diff, an export) stay
 * compressed.
 */
function edgeHeaders(res: Response, id: string, method: string): Record<string, string> {
  const headers: Record<string, string> = { "X-Request-Id": id };
  if (method !== "GET" && method !== "HEAD") {
    const cache = res.headers.get("Cache-Control");
    if (!cache?.includes("no-transform"))
      headers["Cache-Control"] = cache ? `${cache}, no-transform` : "no-transform";
  }
  return headers;
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  } catch {
    // immutable headers (e.g. Response.redirect): copy
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

export interface EdgeOptions {
  /** Log successful requests at debug (health checks polled by load balancers). */
  quiet?: boolean;
}

/**
 *   export const GET = withRequestLog(async (request, ctx) => Response.json(...));
 */
export function withRequestLog<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Response | Promise<Response>,
  options: EdgeOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const started = performance.now();
    const reqId = requestIdFor(request);
    const route = new URL(request.url).pathname; // no query string: it may carry anything
    const context: RequestContext = { reqId, method: request.method, route };
    g.__nexusInFlight = (g.__nexusInFlight ?? 0) + 1;
    let res: Response;
    try {
      res = await requestStore.run(context, () =>
        withDbDeadline(REQUEST_DB_BUDGET_MS, async () => handler(request, ...rest)),
      );
    } catch (err) {
      res = errorResponse(err, reqId);
    } finally {
      g.__nexusInFlight = (g.__nexusInFlight ?? 1) - 1;
    }
    const status = res.status;
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    // nexus_http_request_duration_seconds, by route pattern (never the path with its id)
    observeHttp(request, status, (performance.now() - started) / 1000);
    const p = context.principal;
    const entry = {
      reqId,
      method: request.method,
      route,
      status,
      durationMs,
      ...(p ? { principal: { kind: p.kind, name: p.name } } : {}),
    };
    if (status >= 500) log().warn(entry, "request");
    else if (options.quiet && status < 400) log().debug(entry, "request");
    else log().info(entry, "request");
    return withHeaders(res, edgeHeaders(res, reqId, request.method));
  };
}
