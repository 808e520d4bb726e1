import { NextResponse, type NextRequest } from "next/server";

/*
 * Passes the requested path to server components (`x-nexus-path`), so a page that
 * sends an anonymous visitor to /login can bring them back afterwards. Authentication
 * itself is checked in every page, action and route handler, not here.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  const search = new URLSearchParams(request.nextUrl.search);
  search.delete("_rsc");
  const query = search.toString();
  headers.set("x-nexus-path", request.nextUrl.pathname + (query ? `?${query}` : ""));
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
