import { requestRoutes } from "@/server/api/requests";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/questions/{id}/response (reviewer keys only). */
export const POST = route(requestRoutes("question").decide);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
