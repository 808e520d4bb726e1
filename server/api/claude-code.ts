import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { statusOf } from "@/lib/domain/kinds";
import { verdictOf, type ToolCallVerdict } from "@/lib/domain/tool-calls";
import {
  answerText,
  askQuestionsOf,
  askUpdatedInput,
  DEFAULT_CLAUDE_AGENT_ID,
  DEFAULT_HOOK_TIMEOUT_S,
  HOOK_EVENTS,
  HookBody,
  HookQuery,
  hookAnswer,
  isHookEvent,
  questionBody,
  type AskQuestion,
  type HookEvent,
} from "@/lib/integrations/claude-code";
import { isStopping } from "@/server/events/hub";
import { waitUntilSettled } from "@/server/events/wait";
import { isPending, read, submit, toolCallId } from "@/server/requests/service";
import {
  submitToolCall,
  waitForDecision,
  type ToolCallSubmission,
} from "@/server/requests/tool-calls";
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
  const onTimeout = query.on_timeout ?? "deny";
  const questions = askQuestionsOf(String(body.tool_name), body.tool_input);
  if (questions) {
    return askUserQuestion(request, principal, event, body, questions, {
      agentId,
      timeoutS,
      onTimeout,
    });
  }
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
    on_timeout: onTimeout,
    permission_suggestions:
      event === "PermissionRequest"
        ? ((body.permission_suggestions ?? null) as ToolCallSubmission["permission_suggestions"])
        : null,
  });
  const outcome = await waitForDecision(row.id, { timeoutS, signal: request.signal, row });
  // the hook went away (Claude Code was interrupted): nobody reads this answer
  if (!outcome) return new Response(null, { status: 499 });
  return Response.json(hookAnswer(event, outcome.verdict), {
    headers: { ...NO_STORE, "X-Nexus-Request-Id": row.id },
  });
}

/**
 * Claude Code's AskUserQuestion: each of its questions becomes a multiple-choice question
 * in Nexus (its options as buttons, a typed answer allowed), answered in order; the hook
 * then allows the tool with `updatedInput` = the original questions plus `answers` (by
 * question text), which Claude Code hands the model as the user's answers.
 */
async function askUserQuestion(
  request: Request,
  principal: Principal,
  event: HookEvent,
  body: HookBody,
  questions: AskQuestion[],
  o: { agentId: string; timeoutS: number; onTimeout: "deny" | "ask" },
): Promise<Response> {
  const sessionId = body.session_id ?? null;
  const ids: string[] = [];
  for (const [i, q] of questions.entries()) {
    const id =
      sessionId && body.tool_use_id
        ? toolCallId(o.agentId, sessionId, `${body.tool_use_id}#${i}`)
        : undefined;
    const { row } = await submit("question", principal, {
      ...questionBody(q, {
        agentId: o.agentId,
        sessionId,
        cwd: body.cwd ?? null,
        timeoutS: o.timeoutS,
      }),
      ...(id ? { id } : {}),
    });
    ids.push(row.id);
  }
  const answers: Record<string, string> = {};
  let verdict: ToolCallVerdict | null = null;
  for (const [i, id] of ids.entries()) {
    const row = await waitUntilSettled({
      id,
      waitS: o.timeoutS + 1,
      read: () => read("question", id),
      isPending: (r, now) => isPending("question", r, now),
      expiresAt: (r) => r.expiresAt,
      signal: request.signal,
    });
    if (request.signal.aborted) return new Response(null, { status: 499 });
    if (row && statusOf("question", row, new Date()) === "answered") {
      answers[questions[i]!.question] = answerText(
        row as { response: string | null; selected?: string[] | null },
      );
      continue;
    }
    if (row && isPending("question", row, new Date()) && isStopping()) {
      throw new ApiError("service_unavailable", "Nexus is stopping; retry the same call.");
    }
    verdict = verdictOf(
      {
        approved: null,
        comment: null,
        decidedBy: null,
        updatedInput: null,
        onTimeout: o.onTimeout,
      },
      o.timeoutS,
    );
    break;
  }
  verdict ??= {
    behavior: "allow",
    reason: "Answered in Nexus.",
    updatedInput: askUpdatedInput(body.tool_input as Record<string, unknown>, answers),
  };
  return Response.json(hookAnswer(event, verdict), {
    headers: { ...NO_STORE, "X-Nexus-Request-Id": ids.join(", ") },
  });
}
