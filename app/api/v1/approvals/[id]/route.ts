import { getOneApproval } from "@/lib/api/approvals";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** api.md: GET /api/v1/approvals/{id}[?wait=0..60] (long poll). */
export const GET = route(async (request, ctx: { params: Promise<{ id: string }> }) =>
  getOneApproval(request, (await ctx.params).id),
);
