import { jsonError } from "@/server/api/errors";
import { route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** Unknown paths under /api/v1 answer with the error JSON, not the HTML 404 page. */
const unknownPath = route(async (request: Request) => {
  const path = new URL(request.url).pathname;
  return jsonError("not_found", `There is no endpoint ${path}. See /api/v1/openapi.json.`);
});

export const GET = unknownPath;
export const POST = unknownPath;
export const PUT = unknownPath;
export const PATCH = unknownPath;
export const DELETE = unknownPath;
