import "server-only";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CreateToolCallInput } from "@/lib/api/schemas";
import { verdictOf } from "@/lib/domain/tool-calls";
import { errorResponse } from "@/server/api/errors";
import { submitToolCall } from "@/server/requests/tool-calls";
import { agentOf, waitWithProgress, type Extra, type ToolContext } from "./tools";
import { checkWaitSlot } from "./wait";

/*
 * permission_prompt: Claude Code's --permission-prompt-tool. Claude Code calls it with
 * {tool_name, input, tool_use_id} whenever it would ask the user, and reads ONE text
 * block holding {"behavior":"allow","updatedInput":{…}} or {"behavior":"deny",
 * "message":"…"}. The call becomes a tool-call request (the same kind as the hook's:
 * the reviewer sees the diff or the command). Everything that is not an approval,
 * including an error or nobody answering in time, is a deny: fail closed.
 */

/** The agent_id of permission prompts from a key not bound to one. */
export const PERMISSION_AGENT_ID = "claude-code";

type Answer =
  | { behavior: "allow"; updatedInput: Record<string, unknown> }
  | { behavior: "deny"; message: string };

const answer = (a: Answer): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(a) }],
});

export function registerPermissionPrompt(server: McpServer, ctx: ToolContext) {
  const api = CreateToolCallInput.shape;
  server.registerTool(
    "permission_prompt",
    {
      title: "Ask a reviewer to allow a tool call",
      description:
        "Claude Code's --permission-prompt-tool: asks a human in Nexus whether the tool call may run and answers " +
        '{"behavior":"allow","updatedInput":{…}} or {"behavior":"deny","message":"…"} as JSON text.',
      inputSchema: {
        tool_name: api.tool_name.describe(
          "The tool Claude Code wants to run (Write, Edit, Bash, mcp__…)",
        ),
        input: api.tool_input.describe("The tool's input"),
        tool_use_id: api.tool_use_id.describe("Claude Code's id of this tool use"),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      const timeout = ctx.defaultTimeoutS;
      try {
        checkWaitSlot();
        const { row } = await submitToolCall(ctx.principal, {
          tool_name: args.tool_name,
          tool_input: args.input as Record<string, never>,
          tool_use_id: args.tool_use_id ?? null,
          hook_event: "permission_prompt",
          agent_id: agentOf(ctx, undefined, PERMISSION_AGENT_ID),
          expires_in_s: timeout,
          on_timeout: "deny",
        });
        const settled = await waitWithProgress("tool_call", row, ctx, extra as Extra, timeout);
        const verdict = verdictOf(settled, timeout);
        if (verdict.behavior === "allow") {
          return answer({
            behavior: "allow",
            updatedInput: verdict.updatedInput ?? (args.input as Record<string, unknown>),
          });
        }
        return answer({ behavior: "deny", message: verdict.reason });
      } catch (err) {
        const body = (await errorResponse(err).json()) as { error: { message: string } };
        return answer({
          behavior: "deny",
          message: `Nexus could not ask a reviewer, so the call is denied: ${body.error.message}`,
        });
      }
    },
  );
}
