import "server-only";
import { verifyApiKey } from "@/db/queries/api-keys";
import type { ApiKeyRole } from "@/db/schema";
import type { Principal } from "./principal";
import { currentPrincipal } from "./session";

/**
 * Who calls an /api/v1 route: `Authorization: Bearer <key>` (an API key), else a
 * signed-in browser session when `allowSession` (read routes and the event stream).
 * Returns null for no or bad credentials (the route answers 401).
 */
export async function apiPrincipal(
  request: Request,
  { allowSession = false } = {},
): Promise<Principal | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    const row = await verifyApiKey(match[1]!);
    return row ? { kind: "key", id: row.id, name: row.name, role: row.role as ApiKeyRole } : null;
  }
  return allowSession ? currentPrincipal() : null;
}
