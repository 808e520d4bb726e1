import { NextResponse, type NextRequest } from "next/server";
import { requestIsHttps } from "@/lib/auth/client-address";
import { env, publicUrl } from "@/lib/env";

/*
 * Every page request: a fresh nonce for the Content-Security-Policy (Next.js puts it on
 * its own scripts when it reads the policy from the request headers, which is why every
 * page renders dynamically: the root layout reads headers()), HSTS when the request came
 * over https, and the requested path for server components (`x-nexus-path`), so a page
 * that sends an anonymous visitor to /login can bring them back afterwards.
 * Authentication itself is checked in every page, action and route handler, not here.
 *
 * Scripts: only those carrying the nonce, and what they load ('strict-dynamic'); no
 * 'unsafe-inline'. Styles keep 'unsafe-inline': React renders `style` attributes (Recharts,
 * the diff's reserved heights), which a nonce cannot cover (and a nonce in style-src would
 * disable 'unsafe-inline'). No blob: workers. `next dev` needs 'unsafe-eval'.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development") {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  const search = new URLSearchParams(request.nextUrl.search);
  search.delete("_rsc");
  const query = search.toString();
  headers.set("x-nexus-path", request.nextUrl.pathname + (query ? `?${query}` : ""));
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  if (requestIsHttps(request.headers, env().NEXUS_TRUST_PROXY, publicUrl()))
    response.headers.set("Strict-Transport-Security", "max-age=31536000");
  return response;
}

export const config = {
  // Not the API (JSON; next.config.ts gives it a policy that allows nothing) nor static files.
  matcher: ["/((?!api/|_next/static|_next/image).*)"],
};
