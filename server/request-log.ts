import "server-only";
import { randomUUID } from "node:crypto";
import { isConnectionError } from "@/db/errors";
import { log } from "@/lib/log";

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const g = globalThis as unknown as { __nexusInFlight?: number };

/** Requests currently inside a withRequestLog handler (shutdown reports it). */
export function inFlightRequests(): number {
  return g.__nexusInFlight ?? 0;
}

/** The caller's X-Request-Id when it looks like an id, else a fresh UUID. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get("x-request-id")?.trim();
  return given && SANE_ID.test(given) ? given : randomUUID();
}

function withHeader(res: Response, id: string): Response {
  try {
    res.headers.set("X-Request-Id", id);
    return res;
  } catch {
    // immutable headers (e.g. Response.redirect): copy
    const copy = new Response(res.body, res);
    copy.headers.set("X-Request-Id", id);
    return copy;
  }
}

/**
 * Wrap an API route handler: one JSON log line per request (request id, method, route,
 * status, duration; never headers, bodies, diffs, answers or keys), an X-Request-Id
 * response header, and an api.md error instead of a stack trace when the handler throws
 * (503 service_unavailable when the database is unreachable, 500 otherwise).
 *
 *   export const GET = withRequestLog(async (request, ctx) => Response.json(...));
 */
export function withRequestLog<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Response | Promise<Response>,
  options: {
    /** Log successful requests at debug (health checks polled by load balancers). */
    quiet?: boolean;
  } = {},
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const started = performance.now();
    const reqId = requestIdFor(request);
    const route = new URL(request.url).pathname; // no query string: it may carry anything
    g.__nexusInFlight = (g.__nexusInFlight ?? 0) + 1;
    let res: Response;
    try {
      res = await handler(request, ...rest);
    } catch (err) {
      const down = isConnectionError(err);
      log().error({ reqId, method: request.method, route, err }, "request handler failed");
      res = Response.json(
        {
          error: down
            ? {
                code: "service_unavailable",
                message: "The database is unavailable; retry later. Nothing was written.",
              }
            : { code: "internal_error", message: `Internal error (request id ${reqId}).` },
        },
        { status: down ? 503 : 500 },
      );
    } finally {
      g.__nexusInFlight = (g.__nexusInFlight ?? 1) - 1;
    }
    const status = res.status;
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const entry = { reqId, method: request.method, route, status, durationMs };
    if (status >= 500) log().warn(entry, "request");
    else if (options.quiet && status < 400) log().debug(entry, "request");
    else log().info(entry, "request");
    return withHeader(res, reqId);
  };
}
