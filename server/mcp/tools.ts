import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import {
  CreateApprovalInput,
  CreateQuestionInput,
  InlineComment,
  type Approval,
} from "@/lib/api/schemas";
import { feedbackText } from "@/lib/diff/comments";
import type { Principal } from "@/lib/auth/principal";
import { statusOf, type RequestKind, type RequestRow } from "@/lib/domain/kinds";
import { errorResponse } from "@/server/api/errors";
import { requestJson } from "@/server/api/serialize";
import { submit } from "@/server/requests/service";
import { registerPermissionPrompt } from "./permission-prompt";
import { checkWaitSlot, PROGRESS_INTERVAL_S, waitForDecision } from "./wait";

/*
 * The MCP tools: each submits through the one domain service (the same validation,
 * key binding and limits as POST /api/v1/<kind>), then waits for the reviewer like the
 * API's long poll, reporting progress. One McpServer per HTTP request (stateless), bound
 * to the caller. Failures are tool errors (isError) carrying the API's error message.
 */

/** Longest wait of one tool call: a day. A longer wait is better a new call. */
export const MAX_TOOL_WAIT_S = 86_400;
/** Default wait (and expiry of the request) when neither the call nor the URL says. */
export const DEFAULT_TOOL_WAIT_S = 600;
/** The agent_id of requests from a key that is not bound to one, when the call names none. */
export const DEFAULT_MCP_AGENT_ID = "mcp";

const timeoutS = z
  .int({ message: "timeout_s must be an integer number of seconds" })
  .min(1, { message: "timeout_s must be at least 1" })
  .max(MAX_TOOL_WAIT_S, { message: `timeout_s must be at most ${MAX_TOOL_WAIT_S} (a day)` })
  .optional()
  .describe(
    "How long to wait for the reviewer, in seconds; the request expires then (default: the URL's ?timeout=, else 600)",
  );

const api = { approval: CreateApprovalInput.shape, question: CreateQuestionInput.shape };
const common = {
  agent_id: api.approval.agent_id
    .optional()
    .describe('Who is asking (default: the key\'s bound agent_id, else "mcp")'),
  id: z
    .uuid({ message: "id must be a UUID" })
    .optional()
    .describe(
      "Optional request id (UUID): calling again with the same id and content resumes the wait",
    ),
  timeout_s: timeoutS,
};

export interface ToolContext {
  principal: Principal;
  /** the URL's ?timeout= (seconds), the default wait of every tool */
  defaultTimeoutS: number;
  /** the HTTP request's abort signal (the client went away) */
  signal: AbortSignal;
}

export type Extra = {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (n: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
};

/** A failure as a tool error, in the words of the API's error JSON (one mapping). */
async function toolError(err: unknown): Promise<CallToolResult> {
  const body = (await errorResponse(err).json()) as {
    error: { code: string; message: string; details?: { path: string; message: string }[] };
  };
  const lines = [
    body.error.message,
    ...(body.error.details ?? []).map((d) => `- ${d.path}: ${d.message}`),
  ];
  return { isError: true, content: [{ type: "text", text: lines.join("\n") }] };
}

/** Wait for a submitted request with progress notifications; the row as it ends. */
export async function waitWithProgress<K extends RequestKind>(
  kind: K,
  row: RequestRow<K>,
  ctx: ToolContext,
  extra: Extra,
  timeout: number,
): Promise<RequestRow<K>> {
  const token = extra._meta?.progressToken;
  const url = requestJson(kind, row, { withDiff: false }).url;
  const notify = async (elapsed: number) => {
    if (token === undefined) return;
    await extra.sendNotification({
      method: "notifications/progress",
      params: {
        progressToken: token,
        progress: elapsed,
        total: timeout,
        message: `Waiting for a reviewer (${elapsed} s of ${timeout} s): ${url}`,
      },
    });
  };
  await notify(0).catch(() => {});
  const deadline = row.expiresAt ? row.expiresAt.getTime() + 1 : Date.now() + timeout * 1000;
  return waitForDecision({
    kind,
    row,
    deadline,
    signal: AbortSignal.any([extra.signal, ctx.signal]),
    onProgress: notify,
  });
}

/** Submit through the service (expiring when the wait ends), then wait. */
async function submitAndWait<K extends RequestKind>(
  kind: K,
  ctx: ToolContext,
  extra: Extra,
  body: Record<string, unknown>,
  timeout: number,
): Promise<RequestRow<K>> {
  checkWaitSlot();
  const { row } = await submit(kind, ctx.principal, { ...body, expires_in_s: timeout });
  return waitWithProgress(kind, row, ctx, extra, timeout);
}

/** The agent_id of a call: as given, else the key's bound agent, else `fallback`. */
export function agentOf(
  ctx: ToolContext,
  given: string | undefined,
  fallback = DEFAULT_MCP_AGENT_ID,
) {
  if (given !== undefined) return given;
  return (ctx.principal.kind === "key" && ctx.principal.agentId) || fallback;
}

const waitedFor = (ctx: ToolContext, t: number | undefined) => t ?? ctx.defaultTimeoutS;

/* ---- request_approval ---------------------------------------------------------- */

const ApprovalOutput = z.object({
  id: z.string(),
  status: z.enum(["pending", "approved", "rejected", "expired", "superseded"]),
  approved: z.boolean().describe("true only when a reviewer approved"),
  comment: z.string().nullable(),
  comments: z
    .array(InlineComment)
    .nullable()
    .describe("The reviewer's inline comments on lines of the diff (null: none)"),
  revision: z.int().describe("1 for a first version; n + 1 for a revision of revision n"),
  superseded_by: z.string().nullable().describe("status superseded: the revision that replaced it"),
  decided_by: z.string().nullable(),
  url: z.string(),
  partial: z.boolean().describe("approved in part: some hunks rejected (apply applied_diff)"),
  edited: z.boolean().describe("the reviewer edited hunks before approving (apply applied_diff)"),
  applied_diff: z
    .string()
    .nullable()
    .describe("exactly what was approved, for git apply on the diff's base (null unless approved)"),
  hunks: z
    .array(
      z.object({
        file: z.string(),
        index: z.number(),
        header: z.string(),
        accepted: z.boolean(),
        note: z.string().nullable(),
        edited: z.boolean(),
      }),
    )
    .nullable(),
});

/** What the model reads of a decision in part or edited: which hunks, the notes, the diff. */
function hunksText(json: Approval): string {
  if (!json.partial && !json.edited) return "";
  const hunks = json.hunks ?? [];
  const lines = hunks
    .filter((h) => !h.accepted || h.edited || h.note)
    .map(
      (h) =>
        `- ${h.file} hunk ${h.index} (${h.header}): ${h.accepted ? (h.edited ? "accepted, edited by the reviewer" : "accepted") : "rejected"}${h.note ? ` — ${h.note}` : ""}`,
    );
  const accepted = hunks.filter((h) => h.accepted).length;
  return (
    `\n${json.partial ? `Approved in part: ${accepted} of ${hunks.length} hunks accepted.` : "Approved with edits."}` +
    ` Apply applied_diff below, not your original diff.\n${lines.join("\n")}\n\napplied_diff:\n${json.applied_diff ?? ""}`
  );
}

function approvalResult(row: RequestRow<"approval">, timeout: number): CallToolResult {
  const json = requestJson("approval", row) as Approval;
  const status = statusOf("approval", row, new Date()) as z.output<typeof ApprovalOutput>["status"];
  const out: z.output<typeof ApprovalOutput> = {
    id: row.id,
    status,
    approved: status === "approved",
    comment: row.comment,
    comments: row.inlineComments ?? null,
    revision: row.revision ?? 1,
    superseded_by: row.supersededBy ?? null,
    decided_by: row.decidedBy,
    url: json.url,
    partial: json.partial,
    edited: json.edited,
    applied_diff: json.applied_diff ?? null,
    hunks: json.hunks,
  };
  const feedback = feedbackText(row.comment, row.inlineComments);
  const said = feedback ? `\n\n${feedback}` : "";
  const text =
    status === "approved"
      ? `Approved by ${row.decidedBy}.${said}${hunksText(json)}`
      : status === "rejected"
        ? `Rejected by ${row.decidedBy}. Do not apply this change.${said}\n\nTo send a revised change, call request_approval again with supersedes: "${row.id}".`
        : status === "expired"
          ? `No reviewer answered within ${timeout} s; the request expired. Treat it as not approved.`
          : status === "superseded"
            ? `Superseded by your revision ${row.supersededBy}; this version will not be decided.`
            : `Still waiting for a reviewer (${json.url}); the wait was cancelled. Treat it as not approved.`;
  return { content: [{ type: "text", text }], structuredContent: out };
}

/* ---- ask_question -------------------------------------------------------------- */

const QuestionOutput = z.object({
  id: z.string(),
  status: z.enum(["pending", "answered", "expired"]),
  response: z.string().nullable(),
  selected: z.array(z.string()).nullable().describe("The options the reviewer chose"),
  responded_by: z.string().nullable(),
  url: z.string(),
});

/** The answer as the model reads it: the chosen options, and any typed text. */
function answerText(row: RequestRow<"question">): string {
  const chosen = row.selected?.length ? row.selected.join(", ") : null;
  if (!chosen) return row.response ?? "";
  const typed = row.response && row.response !== chosen ? `\n${row.response}` : "";
  return `Chosen: ${chosen}${typed}`;
}

function questionResult(row: RequestRow<"question">, timeout: number): CallToolResult {
  const json = requestJson("question", row);
  const status = statusOf("question", row, new Date()) as z.output<typeof QuestionOutput>["status"];
  const out: z.output<typeof QuestionOutput> = {
    id: row.id,
    status,
    response: row.response,
    selected: row.selected ?? null,
    responded_by: row.respondedBy,
    url: json.url,
  };
  const text =
    status === "answered"
      ? answerText(row)
      : status === "expired"
        ? `No reviewer answered within ${timeout} s; the question expired.`
        : `Still waiting for an answer (${json.url}); the wait was cancelled.`;
  return { content: [{ type: "text", text }], structuredContent: out };
}

/** The MCP server of one request, bound to its caller. */
export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: "nexus", version: "1.0.0" },
    {
      instructions:
        "Nexus asks a human. request_approval: a code change (unified diff) to approve or reject; " +
        "ask_question: a question for a person; permission_prompt: Claude Code's --permission-prompt-tool. " +
        `Each call waits for the answer (default ${ctx.defaultTimeoutS} s), sending progress notifications every ${PROGRESS_INTERVAL_S} s.`,
    },
  );

  server.registerTool(
    "request_approval",
    {
      title: "Ask a reviewer to approve a code change",
      description:
        "Submit a code change (a unified diff of one file) to a human reviewer in Nexus and wait for the decision. " +
        "Returns approved (true/false), the reviewer's comment, inline comments on lines (comments) and status (approved, rejected, expired, superseded). " +
        "Apply the change only when approved is true; on rejection, read the comments, fix the change and submit it again with supersedes set to the rejected id.",
      inputSchema: {
        file_path: api.approval.file_path.describe("Path of the file the diff changes"),
        diff: api.approval.diff.describe("The change as a unified diff"),
        description: api.approval.description.describe("Why: shown to the reviewer"),
        supersedes: z
          .uuid({ message: "supersedes must be the UUID of an earlier approval" })
          .optional()
          .describe(
            "A revision: the id of your earlier (rejected or pending) approval of this change; the reviewer sees what changed since",
          ),
        ...common,
      },
      outputSchema: ApprovalOutput.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      const timeout = waitedFor(ctx, args.timeout_s);
      try {
        const row = await submitAndWait(
          "approval",
          ctx,
          extra as Extra,
          {
            file_path: args.file_path,
            diff: args.diff,
            description: args.description,
            ...(args.supersedes ? { supersedes: args.supersedes } : {}),
            agent_id: agentOf(ctx, args.agent_id),
            ...(args.id ? { id: args.id } : {}),
          },
          timeout,
        );
        return approvalResult(row, timeout);
      } catch (err) {
        return toolError(err);
      }
    },
  );

  server.registerTool(
    "ask_question",
    {
      title: "Ask a person a question",
      description:
        "Ask a human in Nexus a question and wait for the answer. Use it when you need a decision or information only a person has. " +
        "With options (2-20 short labels) the reviewer picks one (several with multi_select) or types an answer unless allow_text is false; " +
        "`selected` holds the chosen labels, `response` the answer as text.",
      inputSchema: {
        question: api.question.question.describe("The question"),
        context: api.question.context.describe(
          "Optional JSON object shown with the question (what you know, what you tried)",
        ),
        options: api.question.options,
        multi_select: api.question.multi_select,
        allow_text: api.question.allow_text,
        ...common,
      },
      outputSchema: QuestionOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      const timeout = waitedFor(ctx, args.timeout_s);
      try {
        const row = await submitAndWait(
          "question",
          ctx,
          extra as Extra,
          {
            question: args.question,
            context: args.context,
            options: args.options,
            multi_select: args.multi_select,
            allow_text: args.allow_text,
            agent_id: agentOf(ctx, args.agent_id),
            ...(args.id ? { id: args.id } : {}),
          },
          timeout,
        );
        return questionResult(row, timeout);
      } catch (err) {
        return toolError(err);
      }
    },
  );

  registerPermissionPrompt(server, ctx);
  return server;
}
