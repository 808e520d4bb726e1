import { postResponse } from "@/lib/api/questions";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/questions/{id}/response (reviewer keys only). */
export const POST = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  postResponse(request, (await ctx.params).id),
);
