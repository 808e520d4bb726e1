import { authorize, methodNotAllowed, NO_STORE, route } from "@/server/api/route";
import { readStatus } from "@/server/status";

export const dynamic = "force-dynamic";

/** GET /api/v1/status: the operators' view (an admin session or a monitor key). */
export const GET = route(
  async (request) => {
    await authorize(request, "monitor", { allowSession: true });
    return Response.json(await readStatus(), { headers: NO_STORE });
  },
  { quiet: true }, // polled every few seconds: successes log at debug
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
