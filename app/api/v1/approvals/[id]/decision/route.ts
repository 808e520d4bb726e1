import { requestRoutes } from "@/server/api/requests";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/approvals/{id}/decision (reviewer keys only). */
export const POST = route(requestRoutes("approval").decide);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
