import { isConnectionError } from "@/db/errors";
import { requireApiPrincipal } from "@/server/auth/api-auth";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * `GET /api/v1/me`: who the caller is — lets an agent author check a key.
 * 200 `{ kind: "key"|"user", name, role }`; 401 without valid credentials;
 * 503 when the database cannot be reached (the key could not be checked).
 */
export async function GET(request: Request) {
  try {
    const caller = await requireApiPrincipal(request, "read", { allowSession: true });
    if (caller instanceof Response) return caller;
    return Response.json(
      { kind: caller.kind, name: caller.name, role: caller.role },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    log().warn({ err }, "GET /api/v1/me: database unreachable");
    return Response.json(
      {
        error: {
          code: "service_unavailable",
          message: "The database is unreachable; retry later",
        },
      },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
}
