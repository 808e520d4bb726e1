import { postDecision } from "@/server/api/approvals";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/approvals/{id}/decision (reviewer keys only). */
export const POST = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  postDecision(request, (await ctx.params).id),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
