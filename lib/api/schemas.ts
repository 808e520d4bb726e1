import { z } from "zod";
import { APPROVAL_STATUSES, QUESTION_STATUSES, type RequestKind } from "@/lib/domain/kinds";

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
  MAX_LIST_LIMIT,
  MAX_TEXT,
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

const context = z
  .record(z.string(), JsonValue)
  .superRefine((v, ctx) => {
    const why = checkJson(v, 1);
    if (why) ctx.addIssue({ code: "custom", message: `context ${why}` });
    else if (utf8.encode(JSON.stringify(v)).byteLength > MAX_CONTEXT_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `context must be at most ${MAX_CONTEXT_BYTES.toLocaleString("en")} bytes as JSON (1 MiB)`,
      });
    }
  })
  .describe(
    `At most ${MAX_CONTEXT_BYTES} bytes as serialized JSON, nested at most ${MAX_CONTEXT_DEPTH} deep`,
  );

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

export const CreateApprovalInput = z.strictObject({
  id: requestId.optional(),
  file_path: nonBlank("file_path").max(MAX_FILE_PATH),
  diff: nonBlank("diff"),
  description: capped(text(), "description").nullish(),
  agent_id: agentId,
  timestamp: isoTime.optional(),
  expires_in_s: expiresInS.optional(),
});
export type CreateApprovalInput = z.output<typeof CreateApprovalInput>;

export const CreateQuestionInput = z.strictObject({
  id: requestId.optional(),
  question: capped(nonBlank("question"), "question"),
  context: context.nullish(),
  agent_id: agentId,
  timestamp: isoTime.optional(),
  expires_in_s: expiresInS.optional(),
});
export type CreateQuestionInput = z.output<typeof CreateQuestionInput>;

/** Trimmed first (at every door), then checked: "  " is blank, NUL is refused. */
const trimmedText = () =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const why = unstorableText(v);
      if (why) ctx.addIssue({ code: "custom", message: why });
    });

export const REJECT_NEEDS_COMMENT =
  "A comment is required to reject: tell the agent what to change.";

export const DecisionInput = z
  .strictObject({
    approved: z.boolean({ message: "approved must be true (approve) or false (reject)" }),
    comment: capped(trimmedText(), "comment")
      .nullish()
      .describe(
        "Trimmed. Optional when approving; required (not blank) when approved is false: the agent needs to know why",
      ),
  })
  .superRefine((v, ctx) => {
    if (v.approved === false && !v.comment) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: REJECT_NEEDS_COMMENT });
    }
  });
export type DecisionInput = z.output<typeof DecisionInput>;

export const ResponseInput = z.strictObject({
  response: capped(trimmedText(), "response")
    .min(1, { message: "The answer (response) must not be blank." })
    .describe("Trimmed; must not be blank"),
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

export { APPROVAL_STATUSES, QUESTION_STATUSES };
export const ApprovalListQuery = listQuery(APPROVAL_STATUSES);
export const QuestionListQuery = listQuery(QUESTION_STATUSES);

/* ---- Outputs ---------------------------------------------------------------------- */

const time = z.iso.datetime({ offset: true });

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

export const Approval = requestOutput(APPROVAL_STATUSES, {
  approved: z.boolean().nullable(),
  file_path: z.string(),
  diff: z.string().optional().describe("only in GET /api/v1/approvals/{id}, not in lists"),
  description: z.string().nullable(),
  agent_id: z.string(),
  timestamp: time.nullable(),
  approved_at: time.nullable(),
  comment: z.string().nullable(),
  decided_by: z.string().nullable(),
});
export type Approval = z.output<typeof Approval>;

export const Question = requestOutput(QUESTION_STATUSES, {
  question: z.string(),
  context: z.record(z.string(), JsonValue).nullable(),
  agent_id: z.string(),
  timestamp: time.nullable(),
  response: z.string().nullable(),
  response_at: time.nullable(),
  responded_by: z.string().nullable(),
});
export type Question = z.output<typeof Question>;

const listOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
export const ApprovalList = listOf(Approval);
export const QuestionList = listOf(Question);

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
    current: z.union([Approval, Question]).optional(),
  }),
});
export type ErrorBody = z.output<typeof ErrorBody>;

export const EventPayload = z.object({
  type: z.enum(["request.created", "request.decided"]),
  request_type: z.enum(["approval", "question"]),
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
});
export type EventPayload = z.output<typeof EventPayload>;

export const Health = z.object({
  status: z.enum(["ok", "unavailable", "shutting_down"]),
  database: z.enum(["ok", "unreachable"]),
});
