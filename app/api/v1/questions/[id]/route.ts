import { getOneQuestion } from "@/server/api/questions";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** api.md: GET /api/v1/questions/{id}[?wait=0..60] (long poll). */
export const GET = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  getOneQuestion(request, (await ctx.params).id),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
