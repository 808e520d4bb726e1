import { z } from "zod";
import { ON_TIMEOUT } from "@/lib/domain/kinds";
import type { ToolCallVerdict } from "@/lib/domain/tool-calls";

/*
 * Claude Code's hooks as Nexus answers them (POST /api/v1/integrations/claude-code/hook):
 * the query of the hook's URL, the body Claude Code sends for PreToolUse and
 * PermissionRequest, and the JSON that tells it what the reviewer decided. Pure: the
 * route (server/api/claude-code.ts) and `nexus-agent claude-hook` share it.
 */

export const HOOK_EVENTS = ["PreToolUse", "PermissionRequest"] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Default wait: below Claude Code's own default hook timeout of 600 s. */
export const DEFAULT_HOOK_TIMEOUT_S = 590;
export const MAX_HOOK_TIMEOUT_S = 3600;
export const DEFAULT_CLAUDE_AGENT_ID = "claude-code";

export const HookQuery = z.object({
  timeout: z
    .string()
    .regex(/^\d+$/, {
      message: `timeout must be a whole number of seconds (1-${MAX_HOOK_TIMEOUT_S})`,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { message: "timeout must be at least 1 second" })
        .max(MAX_HOOK_TIMEOUT_S, {
          message: `timeout must be at most ${MAX_HOOK_TIMEOUT_S} seconds`,
        }),
    )
    .optional()
    .describe(
      `Seconds to wait for a reviewer (default ${DEFAULT_HOOK_TIMEOUT_S}); keep it below the hook's own timeout in settings.json`,
    ),
  on_timeout: z
    .enum(ON_TIMEOUT, { message: "on_timeout must be deny or ask" })
    .optional()
    .describe(
      "deny (default): the tool call is denied when nobody answers in time; ask: Claude Code asks in its terminal instead",
    ),
  agent_id: z
    .string()
    .optional()
    .describe(
      `The agent_id the request shows (default ${DEFAULT_CLAUDE_AGENT_ID}, or the key's bound agent)`,
    ),
});

/**
 * What Claude Code sends (fields Nexus reads; the rest, e.g. transcript_path, is
 * ignored, so a newer Claude Code with more fields still works). The tool's fields are
 * validated where every tool call is (CreateToolCallInput), paths named alike.
 */
export const HookBody = z.looseObject({
  hook_event_name: z.string({ message: "hook_event_name is required (a Claude Code hook body)" }),
  session_id: z.string().nullish(),
  cwd: z.string().nullish(),
  tool_name: z.unknown(),
  tool_input: z.unknown(),
  tool_use_id: z.string().nullish(),
  /** PermissionRequest: what Claude Code would offer as "always allow" (kept to the session) */
  permission_suggestions: z.array(z.record(z.string(), z.unknown())).max(20).nullish().catch(null),
  /** from `nexus-agent claude-hook`: the exact diff computed beside the files */
  nexus: z
    .strictObject({
      diff: z.string().nullish(),
    })
    .nullish(),
});
export type HookBody = z.output<typeof HookBody>;

export const isHookEvent = (name: string): name is HookEvent =>
  (HOOK_EVENTS as readonly string[]).includes(name);

/** The hook's answer (HTTP 200 body) for a verdict. */
export function hookAnswer(event: HookEvent, verdict: ToolCallVerdict): Record<string, unknown> {
  if (event === "PreToolUse") {
    return {
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: verdict.behavior,
        permissionDecisionReason: verdict.reason,
        ...(verdict.behavior === "allow" && verdict.updatedInput
          ? { updatedInput: verdict.updatedInput }
          : {}),
      },
    };
  }
  // PermissionRequest has no "ask": no decision lets Claude Code's own dialog continue
  if (verdict.behavior === "ask") return {};
  return {
    hookSpecificOutput: {
      hookEventName: "PermissionRequest",
      decision:
        verdict.behavior === "allow"
          ? {
              behavior: "allow",
              ...(verdict.updatedInput ? { updatedInput: verdict.updatedInput } : {}),
              ...(verdict.updatedPermissions?.length
                ? { updatedPermissions: verdict.updatedPermissions }
                : {}),
            }
          : { behavior: "deny", message: verdict.reason },
    },
  };
}

/* ---- AskUserQuestion: Claude Code's own multiple-choice questions ---------------------- */

export const ASK_USER_QUESTION = "AskUserQuestion";

/** One question of AskUserQuestion's input (Claude Code sends 1–4, each with 2–4 options). */
const AskQuestion = z.looseObject({
  question: z.string().min(1),
  header: z.string().nullish(),
  options: z.array(z.looseObject({ label: z.string().min(1), description: z.string().nullish() })),
  multiSelect: z.boolean().nullish(),
});
export type AskQuestion = z.output<typeof AskQuestion>;
const AskInput = z.looseObject({ questions: z.array(AskQuestion).min(1).max(20) });

/** AskUserQuestion's questions, or null when the input is not that shape. */
export function askQuestionsOf(toolName: string, toolInput: unknown): AskQuestion[] | null {
  if (toolName !== ASK_USER_QUESTION) return null;
  const parsed = AskInput.safeParse(toolInput);
  return parsed.success ? parsed.data.questions : null;
}

/** The question request (POST /api/v1/questions's body) for one of Claude Code's questions. */
export function questionBody(
  q: AskQuestion,
  where: { agentId: string; sessionId: string | null; cwd: string | null; timeoutS: number },
) {
  const described = q.options.filter((o) => o.description);
  return {
    question: q.question,
    context: {
      asked_by: "Claude Code (AskUserQuestion)",
      ...(q.header ? { header: q.header } : {}),
      ...(described.length
        ? { options: Object.fromEntries(described.map((o) => [o.label, o.description])) }
        : {}),
      ...(where.sessionId ? { session_id: where.sessionId } : {}),
      ...(where.cwd ? { cwd: where.cwd } : {}),
    },
    options: q.options.map((o) => o.label),
    multi_select: q.multiSelect === true,
    allow_text: true,
    agent_id: where.agentId,
    expires_in_s: where.timeoutS,
  };
}

/** What Claude Code reads as one answer: the chosen labels (", "), and any typed text. */
export function answerText(row: { response: string | null; selected?: string[] | null }): string {
  const chosen = (row.selected ?? []).join(", ");
  const typed = row.response ?? "";
  if (!chosen) return typed;
  return typed && typed !== chosen ? `${chosen}: ${typed}` : chosen;
}

/** AskUserQuestion's updatedInput: the questions as sent and the answers by question text. */
export function askUpdatedInput(
  toolInput: Record<string, unknown>,
  answers: Record<string, string>,
) {
  return { ...toolInput, answers };
}
