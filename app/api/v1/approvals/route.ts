import { getApprovals, postApproval } from "@/lib/api/approvals";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/approvals (submit), GET /api/v1/approvals (list). */
export const POST = route(postApproval);
export const GET = route(getApprovals);
