import { requestRoutes } from "@/server/api/requests";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

const r = requestRoutes("approval");

/** POST /api/v1/approvals (submit), GET /api/v1/approvals (list). */
export const POST = route(r.create);
export const GET = route(r.list);

export const PUT = methodNotAllowed("GET, POST");
export const PATCH = methodNotAllowed("GET, POST");
export const DELETE = methodNotAllowed("GET, POST");
