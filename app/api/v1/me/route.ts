import { authorize, methodNotAllowed, NO_STORE, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/v1/me`: who the caller is — lets an agent author check a key.
 * 200 `{ kind: "key"|"user", name, role }`; 401 without valid credentials;
 * 503 when the database cannot be reached (the key could not be checked).
 */
export const GET = route(async (request) => {
  const caller = await authorize(request, "read", { allowSession: true });
  return Response.json(
    { kind: caller.kind, name: caller.name, role: caller.role },
    { headers: NO_STORE },
  );
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
