import { timingSafeEqual } from "node:crypto";
import { cameThroughAProxy, clientAddress, isLoopback } from "@/lib/auth/client-address";
import { env } from "@/lib/env";
import { authorize, methodNotAllowed, route } from "@/server/api/route";
import { prometheusText } from "@/server/metrics";

export const dynamic = "force-dynamic";

function sameSecret(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/*
 * GET /api/prometheus: the text exposition format. Who may scrape: the bearer
 * NEXUS_PROMETHEUS_TOKEN when it is set; when it is not, callers on this machine
 * (loopback peer, not relayed by a proxy); and in both cases an admin or monitor key.
 */
export const GET = route(
  async (request) => {
    const token = env().NEXUS_PROMETHEUS_TOKEN;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    let allowed = false;
    if (token && bearer && sameSecret(bearer, token)) allowed = true;
    else if (
      !token &&
      !request.headers.get("authorization") &&
      !cameThroughAProxy(request.headers) &&
      isLoopback(clientAddress(request.headers, 0))
    )
      allowed = true;
    if (!allowed) await authorize(request, "monitor"); // an API key (401/403 otherwise)
    const { body, contentType } = await prometheusText();
    return new Response(body, {
      headers: { "Content-Type": contentType, "Cache-Control": "no-store" },
    });
  },
  { quiet: true }, // polled every few seconds: successes log at debug
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
