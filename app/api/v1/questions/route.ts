import { requestRoutes } from "@/server/api/requests";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

const r = requestRoutes("question");

/** POST /api/v1/questions (submit), GET /api/v1/questions (list). */
export const POST = route(r.create);
export const GET = route(r.list);

export const PUT = methodNotAllowed("GET, POST");
export const PATCH = methodNotAllowed("GET, POST");
export const DELETE = methodNotAllowed("GET, POST");
