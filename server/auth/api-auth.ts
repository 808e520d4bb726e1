import "server-only";
import { verifyApiKeyCached } from "@/db/queries/api-keys";
import type { ApiKeyRole } from "@/db/schema";
import { can, type Action, type Principal } from "@/lib/auth/principal";
import { principalFromHeaders } from "./session-principal";

/**
 * Who calls an /api/v1 route: `Authorization: Bearer <key>` (an API key), else a
 * signed-in browser session when `allowSession` (read routes and the event stream).
 * Returns null for no or bad credentials (the route answers 401). A presented but
 * bad or revoked key is never rescued by a session cookie.
 */
export async function apiPrincipal(
  request: Request,
  { allowSession = false } = {},
): Promise<Principal | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    const row = await verifyApiKeyCached(match[1]!);
    return row
      ? {
          kind: "key",
          id: row.id,
          name: row.name,
          role: row.role as ApiKeyRole,
          agentId: row.agentId,
        }
      : null;
  }
  return allowSession ? principalFromHeaders(request.headers) : null;
}

/** The error JSON of docs/api.md for 401/403. */
export function authErrorResponse(status: 401 | 403) {
  const body =
    status === 401
      ? {
          code: "unauthorized",
          message: "Missing or invalid credentials: send Authorization: Bearer <api key>",
        }
      : { code: "forbidden", message: "This key's role does not allow this request" };
  return Response.json(
    { error: body },
    {
      status,
      headers: status === 401 ? { "WWW-Authenticate": 'Bearer realm="nexus"' } : undefined,
    },
  );
}

/**
 * For route handlers: the caller if allowed to `action`, else the 401/403 response to
 * return. `if (caller instanceof Response) return caller;`
 */
export async function requireApiPrincipal(
  request: Request,
  action: Action,
  options: { allowSession?: boolean } = {},
): Promise<Principal | Response> {
  const principal = await apiPrincipal(request, options);
  if (!principal) return authErrorResponse(401);
  if (!can(principal, action)) return authErrorResponse(403);
  return principal;
}
