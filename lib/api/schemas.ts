import { z } from "zod";
import {
  APPROVAL_STATUSES,
  QUESTION_STATUSES,
  REQUEST_KINDS,
  ON_TIMEOUT,
  TOOL_CALL_STATUSES,
  type RequestKind,
} from "@/lib/domain/kinds";
import { COMMENT_SIDES } from "@/lib/diff/comments";

/*
 * The agent API's shapes (docs/api.md), one zod schema per input and output.
 * Route handlers validate with them, serializers are typed by them, and the OpenAPI
 * document (lib/api/openapi.ts) is generated from them: there is no second copy.
 * No server-only imports here: the TypeScript client shares the output types.
 */

export * from "./limits";
import {
  MAX_AGENT_ID,
  MAX_CONTEXT_BYTES,
  MAX_CONTEXT_DEPTH,
  MAX_EXPIRES_IN_S,
  MAX_FILE_PATH,
  MAX_HUNKS,
  MAX_HUNK_TEXT,
  MAX_LIST_LIMIT,
  MAX_OPTION_LABEL,
  MAX_OPTIONS,
  MAX_TEXT,
  MIN_OPTIONS,
  MAX_WAIT_S,
} from "./limits";

const NUL_MESSAGE = "must not contain NUL (\\u0000) characters (PostgreSQL cannot store them)";
const SURROGATE_MESSAGE = "must be valid Unicode (no unpaired UTF-16 surrogates)";

/** Why a string cannot be stored in PostgreSQL TEXT/JSONB, or null when it can. */
export function unstorableText(value: string): string | null {
  if (value.includes("\u0000")) return NUL_MESSAGE;
  if (!value.isWellFormed()) return SURROGATE_MESSAGE;
  return null;
}

/** A string PostgreSQL can store: no NUL, no lone surrogates. */
const text = () =>
  z.string().superRefine((v, ctx) => {
    const why = unstorableText(v);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });

const nonBlank = (what: string) =>
  text()
    .min(1, { message: `${what} must not be empty` })
    .refine((v) => v.length === 0 || v.trim().length > 0, {
      message: `${what} must not be blank`,
    });

/** Every string (keys too) of a JSON value storable, nesting not deeper than the limit. */
function checkJson(value: unknown, depth: number): string | null {
  if (depth > MAX_CONTEXT_DEPTH) return `is nested deeper than ${MAX_CONTEXT_DEPTH} levels`;
  if (typeof value === "string") return unstorableText(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const why = checkJson(item, depth + 1);
      if (why) return why;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const why = unstorableText(k) ?? checkJson(v, depth + 1);
      if (why) return why;
    }
  }
  return null;
}

export const JsonValue = z.json();

const utf8 = new TextEncoder();

/** A JSON object (a question's context, a tool's input): storable, capped in size and depth. */
const jsonObject = (what: string) =>
  z
    .record(z.string(), JsonValue)
    .superRefine((v, ctx) => {
      const why = checkJson(v, 1);
      if (why) ctx.addIssue({ code: "custom", message: `${what} ${why}` });
      else if (utf8.encode(JSON.stringify(v)).byteLength > MAX_CONTEXT_BYTES) {
        ctx.addIssue({
          code: "custom",
          message: `${what} must be at most ${MAX_CONTEXT_BYTES.toLocaleString("en")} bytes as JSON (1 MiB)`,
        });
      }
    })
    .describe(
      `At most ${MAX_CONTEXT_BYTES} bytes as serialized JSON, nested at most ${MAX_CONTEXT_DEPTH} deep`,
    );

const context = jsonObject("context");

/** A capped text field: MAX_TEXT characters. */
const capped = <S extends z.ZodString>(schema: S, what: string) =>
  schema.max(MAX_TEXT, {
    message: `${what} must be at most ${MAX_TEXT.toLocaleString("en")} characters`,
  });

const agentId = nonBlank("agent_id").max(MAX_AGENT_ID, {
  message: `agent_id must be at most ${MAX_AGENT_ID} characters`,
});

/** Explicit offset required (`Z` or `+02:00`): a time without one is ambiguous. */
const isoTime = z.iso
  .datetime({ offset: true, message: "must be an ISO-8601 time with Z or an offset" })
  .refine(
    (v) => {
      const t = Date.parse(v);
      return t >= Date.UTC(1970, 0, 1) && t < Date.UTC(10000, 0, 1);
    },
    { message: "must be between 1970 and 9999" },
  );

const expiresInS = z
  .int({ message: "expires_in_s must be an integer number of seconds" })
  .positive({ message: "expires_in_s must be positive" })
  .max(MAX_EXPIRES_IN_S, { message: `expires_in_s must be at most ${MAX_EXPIRES_IN_S} (30 days)` });

const requestId = z.uuid({ message: "id must be a UUID" }).transform((v) => v.toLowerCase());

/** Most approvals a request can ask for (a quorum of reviewers). */
export const MAX_REQUIRED_APPROVALS = 10;

const requiredApprovals = z
  .int({ message: "required_approvals must be an integer" })
  .min(1, { message: "required_approvals must be at least 1" })
  .max(MAX_REQUIRED_APPROVALS, {
    message: `required_approvals must be at most ${MAX_REQUIRED_APPROVALS}`,
  })
  .optional()
  .describe(
    "Quorum: how many different reviewers must approve (default 1; any rejection rejects). A rule may raise it, never lower it.",
  );

export const CreateApprovalInput = z.strictObject({
  id: requestId.optional(),
  file_path: nonBlank("file_path").max(MAX_FILE_PATH),
  diff: nonBlank("diff"),
  description: capped(text(), "description").nullish(),
  agent_id: agentId,
  timestamp: isoTime.optional(),
  expires_in_s: expiresInS.optional(),
  supersedes: z
    .uuid({ message: "supersedes must be the UUID of an earlier approval" })
    .transform((v) => v.toLowerCase())
    .optional()
    .describe(
      "A revision: the id of the earlier approval (same agent_id) this one replaces. A pending earlier one becomes superseded; each approval has at most one revision",
    ),
  required_approvals: requiredApprovals,
});
export type CreateApprovalInput = z.output<typeof CreateApprovalInput>;

/** A short identifier an agent sends along (a session id, a tool_use id). */
const shortId = (what: string) =>
  text().max(MAX_AGENT_ID, { message: `${what} must be at most ${MAX_AGENT_ID} characters` });

export const MAX_TOOL_NAME = 256;

export const CreateToolCallInput = z.strictObject({
  id: requestId.optional(),
  tool_name: nonBlank("tool_name").max(MAX_TOOL_NAME, {
    message: `tool_name must be at most ${MAX_TOOL_NAME} characters`,
  }),
  tool_input: jsonObject("tool_input"),
  tool_use_id: shortId("tool_use_id")
    .nullish()
    .describe(
      "The agent's id of this call; with session_id it makes the request id (retries are idempotent)",
    ),
  session_id: shortId("session_id").nullish(),
  cwd: text().max(MAX_FILE_PATH).nullish().describe("The agent's working folder"),
  hook_event: shortId("hook_event").nullish(),
  diff: nonBlank("diff")
    .nullish()
    .describe(
      "An exact unified diff of an edit computed beside the files; otherwise Nexus derives one from tool_input",
    ),
  agent_id: agentId,
  timestamp: isoTime.optional(),
  expires_in_s: expiresInS.optional(),
  on_timeout: z
    .enum(ON_TIMEOUT, { message: "on_timeout must be deny or ask" })
    .optional()
    .describe("What the agent is told when nobody decides in time (default deny)"),
  permission_suggestions: z
    .array(jsonObject("permission_suggestions entry"))
    .max(20, { message: "permission_suggestions takes at most 20 entries" })
    .nullish()
    .describe(
      'Claude Code\'s PermissionRequest suggestions, offered to the reviewer as "allow for this session"',
    ),
  required_approvals: requiredApprovals,
});
export type CreateToolCallInput = z.output<typeof CreateToolCallInput>;

/** Trimmed first (at every door), then checked: "  " is blank, NUL is refused. */
const trimmedText = () =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const why = unstorableText(v);
      if (why) ctx.addIssue({ code: "custom", message: why });
    });

/** An option's label: trimmed, not blank, at most MAX_OPTION_LABEL characters. */
const optionLabel = (what: string) =>
  trimmedText()
    .min(1, { message: `${what} must not be blank` })
    .max(MAX_OPTION_LABEL, {
      message: `${what} must be at most ${MAX_OPTION_LABEL} characters`,
    });

/** Each label once (compared after trimming): the index of a repeat gets the issue. */
const distinct = (what: string) => (labels: string[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    if (seen.has(label)) {
      ctx.addIssue({ code: "custom", path: [i], message: `${what} "${label}" is repeated` });
    }
    seen.add(label);
  });
};

const options = z
  .array(optionLabel("An option"))
  .min(MIN_OPTIONS, { message: `options must hold at least ${MIN_OPTIONS} labels` })
  .max(MAX_OPTIONS, { message: `options must hold at most ${MAX_OPTIONS} labels` })
  .superRefine(distinct("The option"))
  .describe(
    `Multiple choice: ${MIN_OPTIONS}–${MAX_OPTIONS} distinct labels (trimmed, at most ${MAX_OPTION_LABEL} characters each), shown to the reviewer as buttons in this order`,
  );

export const CreateQuestionInput = z
  .strictObject({
    id: requestId.optional(),
    question: capped(nonBlank("question"), "question"),
    context: context.nullish(),
    agent_id: agentId,
    timestamp: isoTime.optional(),
    expires_in_s: expiresInS.optional(),
    options: options.nullish(),
    multi_select: z
      .boolean({ message: "multi_select must be true or false" })
      .optional()
      .describe("Only with options: the reviewer may choose more than one (default false)"),
    allow_text: z
      .boolean({ message: "allow_text must be true or false" })
      .optional()
      .describe(
        "Only with options: the reviewer may type an answer instead of (or beside) choosing (default true)",
      ),
  })
  .superRefine((v, ctx) => {
    if (v.options) return;
    for (const field of ["multi_select", "allow_text"] as const) {
      if (v[field] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} is only allowed together with options`,
        });
      }
    }
  });
export type CreateQuestionInput = z.output<typeof CreateQuestionInput>;

export const REJECT_NEEDS_COMMENT =
  "A comment is required to reject: tell the agent what to change (or comment on the lines to change).";

/** Most inline comments one decision carries. */
export const MAX_INLINE_COMMENTS = 200;

const lineNumber = (what: string) =>
  z
    .int({ message: `${what} must be a line number (an integer)` })
    .positive({ message: `${what} must be at least 1` })
    .max(10_000_000, { message: `${what} must be at most 10000000` });

export const InlineComment = z.strictObject({
  file_path: nonBlank("file_path")
    .max(MAX_FILE_PATH)
    .describe("A file of the diff (its path as the diff names it)"),
  side: z
    .enum(COMMENT_SIDES, { message: "side must be old or new" })
    .describe("new: a line of the changed file (added or context); old: a line as it was"),
  line: lineNumber("line").describe("The line's number on that side, as the diff numbers it"),
  end_line: lineNumber("end_line")
    .nullish()
    .describe("The last line of a range (same side, same hunk); absent: one line"),
  body: capped(trimmedText(), "body").min(1, { message: "body must not be blank" }),
});
export type InlineComment = z.output<typeof InlineComment>;

/** A hunk of the request's diff: its file (as the review page names it) and index in that file. */
const hunkRef = {
  file: text()
    .min(1, { message: "file must not be empty" })
    .max(MAX_FILE_PATH, { message: `file must be at most ${MAX_FILE_PATH} characters` })
    .describe("The file's path as the diff names it (the new path; the old one for a deletion)"),
  index: z
    .int({ message: "index must be an integer" })
    .min(0, { message: "index must be 0 or more" })
    .describe("0-based, in the file's order of hunks"),
};

export const HunkDecisionInput = z.strictObject({
  ...hunkRef,
  accepted: z.boolean({ message: "accepted must be true or false" }),
  note: capped(trimmedText(), "note").nullish().describe("The reviewer's note on this hunk"),
});

export const HunkEditInput = z.strictObject({
  ...hunkRef,
  new_text: text()
    .max(MAX_HUNK_TEXT, {
      message: `new_text must be at most ${MAX_HUNK_TEXT.toLocaleString("en")} characters`,
    })
    .describe(
      'The hunk\'s new side (its context and added lines) as the reviewer wants it: lines separated by "\\n", a final "\\n" optional; "" = no lines',
    ),
});

const decisionFields = {
  approved: z.boolean({ message: "approved must be true (approve) or false (reject)" }),
  comment: capped(trimmedText(), "comment")
    .nullish()
    .describe(
      "Trimmed. Optional when approving; to reject, a comment or at least one inline comment is required: the agent needs to know why",
    ),
  comments: z
    .array(InlineComment)
    .max(MAX_INLINE_COMMENTS, {
      message: `comments must hold at most ${MAX_INLINE_COMMENTS} inline comments`,
    })
    .optional()
    .describe(
      "Inline comments on lines of the diff (approvals, and tool calls with a diff). Each must point at lines the diff's hunks show (400 naming it otherwise). A rejection with inline comments needs no overall comment (request changes)",
    ),
  hunks: z
    .array(HunkDecisionInput)
    .max(MAX_HUNKS, { message: `hunks must hold at most ${MAX_HUNKS} items` })
    .optional()
    .describe(
      "Per-hunk decisions on the diff: hunks not named are accepted. Approving with some rejected is approval in part (`partial: true`); a hunk the diff does not have is a 400 naming it. On a rejection only the notes count",
    ),
  edits: z
    .array(HunkEditInput)
    .max(MAX_HUNKS, { message: `edits must hold at most ${MAX_HUNKS} items` })
    .optional()
    .describe(
      "Edit before approve: the new side of accepted hunks replaced by the reviewer's text (`applied_diff` holds the result; `edited: true`). Only with approved: true",
    ),
};
const needsComment = (
  v: { approved: boolean; comment?: string | null; comments?: unknown[]; edits?: unknown[] },
  ctx: z.RefinementCtx,
) => {
  if (v.approved === false && !v.comment && !v.comments?.length) {
    ctx.addIssue({ code: "custom", path: ["comment"], message: REJECT_NEEDS_COMMENT });
  }
  if (v.approved === false && v.edits?.length) {
    ctx.addIssue({
      code: "custom",
      path: ["edits"],
      message: "Edits are applied only when approving (approved: true)",
    });
  }
};

export const DecisionInput = z.strictObject(decisionFields).superRefine(needsComment);
export type DecisionInput = z.output<typeof DecisionInput>;

/** A tool call's decision: an approval's, plus Claude Code's "allow for this session". */
export const ToolCallDecisionInput = z
  .strictObject({
    ...decisionFields,
    allow_session: z
      .boolean()
      .optional()
      .describe(
        "With approved: true, on a Claude Code PermissionRequest that sent permission_suggestions: also grant them for the rest of the session (updatedPermissions)",
      ),
  })
  .superRefine(needsComment);
export type ToolCallDecisionInput = z.output<typeof ToolCallDecisionInput>;

export const ANSWER_NEEDED = "Choose an option or type an answer.";

export const ResponseInput = z
  .strictObject({
    response: capped(trimmedText(), "response")
      .min(1, { message: "The answer (response) must not be blank." })
      .optional()
      .describe(
        "Trimmed; must not be blank. Required unless `selected` is given; refused when the question has options and allow_text is false",
      ),
    selected: z
      .array(optionLabel("A chosen label"))
      .max(MAX_OPTIONS, { message: `selected must hold at most ${MAX_OPTIONS} labels` })
      .superRefine(distinct("The label"))
      .optional()
      .describe(
        'Labels chosen among the question\'s options (trimmed; at most one unless multi_select). Without `response`, the stored response is these labels joined with ", "',
      ),
  })
  .superRefine((v, ctx) => {
    if (v.response === undefined && !v.selected?.length) {
      ctx.addIssue({ code: "custom", path: ["response"], message: ANSWER_NEEDED });
    }
  });
export type ResponseInput = z.output<typeof ResponseInput>;

/** Path parameter: any canonical UUID PostgreSQL could hold. */
export const IdParam = z.guid({ message: "id must be a UUID" }).transform((v) => v.toLowerCase());

const queryNumber = (name: string, min: number, max: number, int: boolean) =>
  z
    .string()
    .regex(int ? /^\d+$/ : /^\d+(\.\d+)?$/, {
      message: `${name} must be ${int ? "an integer" : "a number"} from ${min} to ${max}`,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { message: `${name} must be at least ${min}` })
        .max(max, { message: `${name} must be at most ${max}` }),
    );

export const WaitQuery = z.object({
  wait: queryNumber("wait", 0, MAX_WAIT_S, false).optional(),
});

const listQuery = <S extends readonly [string, ...string[]]>(statuses: S) =>
  z.object({
    status: z
      .enum(statuses, { message: `status must be one of ${statuses.join(", ")}` })
      .optional(),
    agent_id: agentId.optional(),
    limit: queryNumber("limit", 1, MAX_LIST_LIMIT, true).optional(),
    cursor: z.string().max(500).optional(),
  });

export { APPROVAL_STATUSES, QUESTION_STATUSES, TOOL_CALL_STATUSES };
export const ApprovalListQuery = listQuery(APPROVAL_STATUSES);
export const QuestionListQuery = listQuery(QUESTION_STATUSES);
export const ToolCallListQuery = listQuery(TOOL_CALL_STATUSES);

/* ---- Outputs ---------------------------------------------------------------------- */

const time = z.iso.datetime({ offset: true });

/** A quorum request's approvals so far (present when required_approvals > 1). */
const approvalsOutput = z
  .object({
    required: z.int(),
    received: z.int(),
    reviewers: z
      .array(z.object({ reviewer: z.string(), at: time }))
      .optional()
      .describe("who approved and when, oldest first (not in lists)"),
  })
  .optional()
  .describe("Only for a request needing several approvals: how many it needs and has");

/** A request of any kind as the API shows it: its own fields between these. */
const requestOutput = <S extends readonly [string, ...string[]], Own extends z.ZodRawShape>(
  statuses: S,
  own: Own,
) =>
  z.object({
    id: z.uuid(),
    status: z.enum(statuses),
    ...own,
    submitted_by: z
      .string()
      .nullable()
      .describe("`key:<name>` of the API key that submitted it (null: not recorded)"),
    expires_at: time.nullable(),
    created_at: time.nullable(),
    url: z.url(),
  });

const comments = z
  .array(InlineComment)
  .nullable()
  .describe("The reviewer's inline comments on lines of the diff (null: none)");

export const HunkOutput = z.object({
  file: z.string(),
  index: z.int().describe("0-based, in the file's order of hunks"),
  header: z.string().describe('The hunk\'s header as submitted ("@@ -20,7 +24,10 @@ …")'),
  accepted: z.boolean(),
  note: z.string().nullable(),
  edited: z.boolean().describe("The reviewer changed its new side"),
});

/** What a decision on a diff's hunks adds to an approval or a tool call. */
const hunksOutput = (segment: string) => ({
  hunks: z
    .array(HunkOutput)
    .nullable()
    .describe(
      "Every hunk of the diff as decided (null: pending, decided before hunks were recorded, or no diff)",
    ),
  partial: z
    .boolean()
    .describe(
      "Approved in part: approved with some hunks rejected (status stays approved; apply applied_diff, not diff)",
    ),
  edited: z.boolean().describe("The reviewer edited a hunk before approving"),
  applied_diff: z
    .string()
    .nullable()
    .optional()
    .describe(
      `Exactly what was approved, for git apply against the diff's base: the diff itself when approved whole, the accepted (and edited) hunks when in part or edited, "" when nothing applies, null unless approved. Only in GET /api/v1/${segment}/{id}, not in lists`,
    ),
});

export const Approval = requestOutput(APPROVAL_STATUSES, {
  approved: z.boolean().nullable(),
  file_path: z.string(),
  diff: z.string().optional().describe("only in GET /api/v1/approvals/{id}, not in lists"),
  description: z.string().nullable(),
  agent_id: z.string(),
  timestamp: time.nullable(),
  approved_at: time.nullable(),
  comment: z.string().nullable(),
  comments,
  decided_by: z.string().nullable(),
  revision: z.int().describe("1 for a first version, n + 1 for a revision of revision n"),
  supersedes: z
    .uuid()
    .nullable()
    .describe("The earlier approval this revision replaces (null: a first version)"),
  superseded_by: z
    .uuid()
    .nullable()
    .describe(
      "Set when status is superseded: the revision that replaced it while it was pending (wait on that one instead)",
    ),
  approvals: approvalsOutput,
  ...hunksOutput("approvals"),
});
export type Approval = z.output<typeof Approval>;

export const Question = requestOutput(QUESTION_STATUSES, {
  question: z.string(),
  context: z.record(z.string(), JsonValue).nullable(),
  agent_id: z.string(),
  timestamp: time.nullable(),
  options: z
    .array(z.string())
    .nullable()
    .describe("Multiple choice: the labels offered (null: a free-text question)"),
  multi_select: z.boolean().describe("More than one option may be chosen"),
  allow_text: z
    .boolean()
    .describe("A typed answer is allowed (always true for a question without options)"),
  response: z
    .string()
    .nullable()
    .describe(
      'The answer: the typed text, or the chosen labels joined with ", " when only options were chosen',
    ),
  selected: z
    .array(z.string())
    .nullable()
    .describe("The labels the reviewer chose (null: none, or no options)"),
  response_at: time.nullable(),
  responded_by: z.string().nullable(),
});
export type Question = z.output<typeof Question>;

export const ToolCall = requestOutput(TOOL_CALL_STATUSES, {
  approved: z.boolean().nullable(),
  tool_name: z.string(),
  tool_input: z
    .record(z.string(), JsonValue)
    .optional()
    .describe("only in GET /api/v1/tool-calls/{id}, not in lists"),
  title: z.string().describe("One line: the edited file, the command's first line, or the tool"),
  file_path: z.string().nullable(),
  diff: z
    .string()
    .nullable()
    .optional()
    .describe("only in GET /api/v1/tool-calls/{id}, not in lists"),
  diff_exact: z
    .boolean()
    .describe(
      "true: the agent sent the diff with the file's real line numbers; false: derived by Nexus",
    ),
  description: z.string().nullable(),
  session_id: z.string().nullable(),
  cwd: z.string().nullable(),
  hook_event: z.string().nullable(),
  tool_use_id: z.string().nullable(),
  on_timeout: z.enum(ON_TIMEOUT),
  agent_id: z.string(),
  timestamp: time.nullable(),
  approved_at: time.nullable(),
  comment: z.string().nullable(),
  comments,
  decided_by: z.string().nullable(),
  updated_input: z
    .record(z.string(), JsonValue)
    .nullable()
    .describe(
      "The input as the reviewer approved it (an edited or partly accepted Edit, MultiEdit or Write); null: as sent",
    ),
  permission_suggestions: z.array(z.record(z.string(), JsonValue)).nullable(),
  allow_session: z
    .boolean()
    .nullable()
    .describe("approved with allow for this session (answered with updatedPermissions)"),
  approvals: approvalsOutput,
  ...hunksOutput("tool-calls"),
});
export type ToolCall = z.output<typeof ToolCall>;

export const listOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
export const ApprovalList = listOf(Approval);
/** GET /api/v1/approvals/{id}/revisions: the chain, first version first (diffs left out). */
export const RevisionList = z.object({ items: z.array(Approval) });
export const QuestionList = listOf(Question);
export const ToolCallList = listOf(ToolCall);

/** The schemas of each request kind (see lib/domain/kinds.ts for the rest of a kind). */
export const REQUEST_SCHEMAS = {
  approval: {
    create: CreateApprovalInput,
    decide: DecisionInput,
    list: ApprovalListQuery,
    output: Approval,
    names: { create: "ApprovalCreate", decide: "Decision", output: "Approval" },
  },
  question: {
    create: CreateQuestionInput,
    decide: ResponseInput,
    list: QuestionListQuery,
    output: Question,
    names: { create: "QuestionCreate", decide: "QuestionResponse", output: "Question" },
  },
  tool_call: {
    create: CreateToolCallInput,
    decide: ToolCallDecisionInput,
    list: ToolCallListQuery,
    output: ToolCall,
    names: { create: "ToolCallCreate", decide: "ToolCallDecision", output: "ToolCall" },
  },
} as const satisfies Record<RequestKind, unknown>;

export const ERROR_CODES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "service_unavailable",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** On a 409 from a decision endpoint: the request as decided by the winner. */
    current: z.union([Approval, Question, ToolCall]).optional(),
  }),
});
export type ErrorBody = z.output<typeof ErrorBody>;

export const EventPayload = z.object({
  type: z
    .enum(["request.created", "request.approval", "request.decided"])
    .describe(
      "request.approval: one more approval of a request that needs several (still pending)",
    ),
  request_type: z.enum(REQUEST_KINDS as [RequestKind, ...RequestKind[]]),
  id: z.uuid(),
  agent_id: z.string(),
  timestamp: time.nullable().optional().describe("request.created only"),
  expires_at: time.nullable().optional().describe("request.created only"),
  created_at: time
    .nullable()
    .optional()
    .describe("request.created only: when the database stored it (its clock)"),
  file_path: z
    .string()
    .optional()
    .describe("request.created of an approval: at most 300 characters (longer ends in …)"),
  description: z
    .string()
    .nullable()
    .optional()
    .describe("request.created of an approval: at most 300 characters (longer ends in …)"),
  question: z
    .string()
    .optional()
    .describe("request.created of a question: at most 300 characters (longer ends in …)"),
  tool_name: z.string().optional().describe("request.created of a tool call"),
  title: z
    .string()
    .optional()
    .describe("request.created of a tool call: its one-line title, at most 300 characters"),
  options: z
    .array(z.string())
    .nullable()
    .optional()
    .describe(
      "request.created of a question: its options (null: none), at most 300 characters in all (the labels that fit, the next one ending in …)",
    ),
});
export type EventPayload = z.output<typeof EventPayload>;

export const Health = z.object({
  status: z.enum(["ok", "unavailable", "shutting_down"]),
  database: z.enum(["ok", "unreachable"]),
});
