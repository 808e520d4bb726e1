import { getApprovals, postApproval } from "@/server/api/approvals";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/approvals (submit), GET /api/v1/approvals (list). */
export const POST = route(postApproval);
export const GET = route(getApprovals);

export const PUT = methodNotAllowed("GET, POST");
export const PATCH = methodNotAllowed("GET, POST");
export const DELETE = methodNotAllowed("GET, POST");
