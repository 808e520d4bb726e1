import "server-only";
import {
  cameThroughAProxy,
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  requestIsHttps,
} from "@/lib/auth/client-address";
import { env, publicUrl } from "@/lib/env";
import { log } from "@/lib/log";
import { getAuth } from "./auth";

let warnedUntrustedProxy = false;

/** Once: forwarded requests while no proxy is trusted all count as the proxy's address. */
function warnIfUntrustedProxy(headers: Headers, trust: number) {
  if (warnedUntrustedProxy || trust > 0 || !cameThroughAProxy(headers)) return;
  warnedUntrustedProxy = true;
  log().warn(
    "sign-in requests carry X-Forwarded-For but NEXUS_TRUST_PROXY is not set: the header is ignored and every client counts as the address of the proxy. Behind a reverse proxy, set NEXUS_TRUST_PROXY=1 (or the number of proxies).",
  );
}

/*
 * The /api/auth/* endpoint: better-auth's handler (its per-address rate limit, and the
 * per-account-and-address sign-in throttle in ./auth.ts), behind three things of ours:
 * a small body limit (sign-in needs a few hundred bytes), the client's address resolved
 * from the socket (or trusted proxies) and handed to better-auth in a header no client
 * can set, and `Secure` on every cookie of a request that came over https.
 */
export const AUTH_MAX_BODY_BYTES = 64 * 1024;

function tooLarge() {
  return Response.json(
    {
      error: {
        code: "payload_too_large",
        message: `Request body too large: at most ${AUTH_MAX_BODY_BYTES / 1024} KiB on /api/auth.`,
      },
    },
    { status: 413 },
  );
}

/** The body, or null when it is over `limit` bytes (stops reading there). */
async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/** Add `Secure` to every Set-Cookie that lacks it. */
function secureCookies(response: Response): Response {
  const cookies = response.headers.getSetCookie();
  if (cookies.every((c) => /;\s*secure\s*(;|$)/i.test(c))) return response;
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  for (const c of cookies)
    headers.append("set-cookie", /;\s*secure\s*(;|$)/i.test(c) ? c : `${c}; Secure`);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

export async function handleAuthRequest(request: Request): Promise<Response> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await readBody(request, AUTH_MAX_BODY_BYTES) : undefined;
  if (body === null) return tooLarge();
  const trust = env().NEXUS_TRUST_PROXY;
  warnIfUntrustedProxy(request.headers, trust);
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const address = clientAddress(request.headers, trust);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  headers.delete("content-length"); // the body is passed whole
  const auth = await getAuth();
  const response = await auth.handler(
    new Request(request.url, {
      method: request.method,
      headers,
      body: hasBody && body && body.byteLength > 0 ? body : undefined,
      signal: request.signal,
    }),
  );
  return requestIsHttps(request.headers, trust, publicUrl()) ? secureCookies(response) : response;
}
