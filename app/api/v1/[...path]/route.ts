import { jsonError } from "@/server/api/errors";

export const dynamic = "force-dynamic";

/** Unknown paths under /api/v1 answer with the error JSON, not the HTML 404 page. */
async function unknownPath(request: Request) {
  const path = new URL(request.url).pathname;
  return jsonError("not_found", `There is no endpoint ${path}. See /api/v1/openapi.json.`);
}

export const GET = unknownPath;
export const POST = unknownPath;
export const PUT = unknownPath;
export const PATCH = unknownPath;
export const DELETE = unknownPath;
