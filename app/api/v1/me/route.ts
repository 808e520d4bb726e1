import { requireApiPrincipal } from "@/lib/auth/api-auth";

export const dynamic = "force-dynamic";

/**
 * `GET /api/v1/me`: who the caller is — lets an agent author check a key.
 * 200 `{ kind: "key"|"user", name, role }`; 401 without valid credentials.
 */
export async function GET(request: Request) {
  const caller = await requireApiPrincipal(request, "read", { allowSession: true });
  if (caller instanceof Response) return caller;
  return Response.json(
    { kind: caller.kind, name: caller.name, role: caller.role },
    { headers: { "Cache-Control": "no-store" } },
  );
}
