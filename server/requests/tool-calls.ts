import "server-only";
import type { z } from "zod";
import type { CreateToolCallInput } from "@/lib/api/schemas";
import type { Principal } from "@/lib/auth/principal";
import type { RequestRow } from "@/lib/domain/kinds";
import { verdictOf, type ToolCallVerdict } from "@/lib/domain/tool-calls";
import { ApiError } from "@/server/api/errors";
import { isStopping } from "@/server/events/hub";
import { waitUntilSettled } from "@/server/events/wait";
import { isPending, read, submit } from "./service";

/*
 * Tool calls as agent integrations use them (the Claude Code hook, the MCP server's
 * permission_prompt): submit one and wait for the reviewer's verdict. Both go through
 * the service (server/requests/service.ts): the same validation, key binding and
 * idempotency as POST /api/v1/tool-calls.
 */

export type ToolCallRow = RequestRow<"tool_call">;

/**
 * What an integration submits: POST /api/v1/tool-calls's body (snake_case), e.g.
 * `{tool_name, tool_input, tool_use_id?, session_id?, cwd?, hook_event?, diff?,
 * agent_id, expires_in_s?, on_timeout?}`. With session_id and tool_use_id the id is
 * derived from them, so a retried call finds its request instead of making a second.
 */
export type ToolCallSubmission = z.input<typeof CreateToolCallInput>;

/** Create (or find, for a retry) a tool call request. Throws ApiError (400/403/409). */
export async function submitToolCall(
  principal: Principal,
  input: ToolCallSubmission,
): Promise<{ created: boolean; row: ToolCallRow }> {
  return submit("tool_call", principal, input);
}

export interface ToolCallOutcome {
  /** allow / deny (with the reason the model reads) / ask (fall back to the agent's own prompt) */
  verdict: ToolCallVerdict;
  row: ToolCallRow;
}

/**
 * Wait until the tool call is decided or expires, then its verdict. `timeoutS` is the
 * window the request was created with (its expires_in_s), named in the timeout message.
 * Still pending when the wait runs out counts as expired. Throws 503 when Nexus stops
 * while waiting (the agent retries or fails closed); null when `signal` aborts (the
 * agent went away).
 */
export async function waitForDecision(
  id: string,
  {
    timeoutS,
    signal,
    row: first,
  }: {
    timeoutS: number;
    signal?: AbortSignal;
    /** the request as submitted: a rule's decision is answered without reading it again */
    row?: ToolCallRow;
  },
): Promise<ToolCallOutcome | null> {
  const row = await waitUntilSettled({
    id,
    // the request expires after timeoutS at the latest: the wait ends by then
    waitS: timeoutS + 1,
    read: () => read("tool_call", id),
    isPending: (r, now) => isPending("tool_call", r, now),
    expiresAt: (r) => r.expiresAt,
    signal,
    first,
  });
  if (!row) throw new ApiError("not_found", "Tool call not found.");
  if (signal?.aborted) return null;
  // still pending: the wait ran out (a timeout, like expiry) or Nexus is stopping
  if (isPending("tool_call", row, new Date()) && isStopping()) {
    throw new ApiError(
      "service_unavailable",
      "Nexus is stopping; the tool call is still pending. Retry the same call to keep waiting.",
      undefined,
      undefined,
      { "Retry-After": "2" },
    );
  }
  return { verdict: verdictOf(row, timeoutS), row };
}
