import "server-only";
import {
  DEFAULT_CLAUDE_AGENT_ID,
  DEFAULT_HOOK_TIMEOUT_S,
  HOOK_EVENTS,
  HookBody,
  HookQuery,
  hookAnswer,
  isHookEvent,
} from "@/lib/integrations/claude-code";
import { submitToolCall, waitForDecision } from "@/server/requests/tool-calls";
import { readJsonBody } from "./body";
import { ApiError } from "./errors";
import { authorize, NO_STORE, parseWith, queryOf } from "./route";

/*
 * POST /api/v1/integrations/claude-code/hook: Claude Code's PreToolUse and
 * PermissionRequest http hooks. The tool call becomes a tool_call request (the inbox
 * shows it at once), the hook waits for the reviewer, and the answer is the hook JSON
 * Claude Code reads: allow, deny with the reviewer's comment, or, when nobody answered
 * in time, deny ("No reviewer answered within N s") or ask (?on_timeout=ask).
 * Every failure is a 4xx/5xx error JSON; the documented settings use "onFailure":
 * "block", so that Claude Code denies the call rather than running it.
 */

export async function claudeCodeHook(request: Request): Promise<Response> {
  const principal = await authorize(request, "submit");
  const query = parseWith(HookQuery, queryOf(request), "The hook URL's query is invalid.");
  const body = parseWith(HookBody, await readJsonBody(request), "The hook body is invalid.");
  const event = body.hook_event_name;
  if (!isHookEvent(event)) {
    throw new ApiError(
      "invalid_request",
      `Nexus answers the ${HOOK_EVENTS.join(" and ")} hooks, not ${JSON.stringify(event.slice(0, 100))}: register this URL under those events only.`,
      [{ path: "hook_event_name", message: `Must be one of ${HOOK_EVENTS.join(", ")}` }],
    );
  }
  const timeoutS = query.timeout ?? DEFAULT_HOOK_TIMEOUT_S;
  const agentId =
    query.agent_id ??
    (principal.kind === "key" ? principal.agentId : null) ??
    DEFAULT_CLAUDE_AGENT_ID;
  const { row } = await submitToolCall(principal, {
    tool_name: body.tool_name as string,
    tool_input: body.tool_input as Record<string, never>,
    tool_use_id: body.tool_use_id ?? null,
    session_id: body.session_id ?? null,
    cwd: body.cwd ?? null,
    hook_event: event,
    diff: body.nexus?.diff ?? null,
    agent_id: agentId,
    expires_in_s: timeoutS,
    on_timeout: query.on_timeout ?? "deny",
  });
  const outcome = await waitForDecision(row.id, { timeoutS, signal: request.signal });
  // the hook went away (Claude Code was interrupted): nobody reads this answer
  if (!outcome) return new Response(null, { status: 499 });
  return Response.json(hookAnswer(event, outcome.verdict), {
    headers: { ...NO_STORE, "X-Nexus-Request-Id": row.id },
  });
}
