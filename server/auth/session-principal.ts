import "server-only";
import { ROLES, type Role } from "@/db/schema";
import { getAuth } from "./auth";
import type { Principal } from "@/lib/auth/principal";

// Apart from ./session (pages: redirect, forbidden) so that route handler code does not
// pull in next/navigation: bench/lib/bare-server.ts runs it outside Next.js.

/**
 * The signed-in person behind a request's session cookie, or null. A disabled user's
 * sessions are deleted when they are disabled; the check here also refuses any
 * session that outlived that (every page, action and API session check comes here).
 */
export async function principalFromHeaders(h: Headers): Promise<Principal | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: h });
  if (!session) return null;
  const u = session.user as typeof session.user & { role?: string; disabledAt?: Date | null };
  if (u.disabledAt) return null;
  const role = (ROLES as readonly string[]).includes(u.role ?? "") ? (u.role as Role) : "viewer";
  return { kind: "user", id: u.id, email: u.email, name: u.name, role };
}
