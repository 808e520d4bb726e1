import { postResponse } from "@/server/api/questions";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/questions/{id}/response (reviewer keys only). */
export const POST = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  postResponse(request, (await ctx.params).id),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
