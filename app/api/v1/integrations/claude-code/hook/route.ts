import { claudeCodeHook } from "@/server/api/claude-code";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/integrations/claude-code/hook (Claude Code's http hooks); see server/api/claude-code.ts. */
export const POST = route(claudeCodeHook);
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
