import { postDecision } from "@/lib/api/approvals";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/approvals/{id}/decision (reviewer keys only). */
export const POST = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  postDecision(request, (await ctx.params).id),
);
