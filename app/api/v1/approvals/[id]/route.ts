import { requestRoutes } from "@/server/api/requests";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/approvals/{id}[?wait=0..60] (long poll). */
export const GET = route(requestRoutes("approval").get);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
