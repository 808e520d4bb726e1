import { openApiDocument } from "@/lib/api/openapi";
import { authorize, methodNotAllowed, route } from "@/server/api/route";
import { publicUrl } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * OpenAPI 3.1, generated from the zod schemas the handlers validate with. Like all of
 * /api/v1 it needs a key (or a signed-in session).
 */
export const GET = route(async (request) => {
  await authorize(request, "read", { allowSession: true });
  return Response.json(openApiDocument(publicUrl()), { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
