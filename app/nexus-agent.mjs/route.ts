import { agentScript } from "@/server/agent-script";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /nexus-agent.mjs`: the shell CLI for agents (scripts/nexus-agent.mjs), so any
 * machine that reaches Nexus can install it with curl. No key: it holds no secret.
 * Revalidated by ETag (the bytes change with a Nexus upgrade).
 */
export const GET = route(async (request) => {
  const { body, etag } = await agentScript();
  const headers = {
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": "public, no-cache",
    ETag: etag,
  };
  const match = request.headers.get("if-none-match");
  if (match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag))
    return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(body), { headers });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
