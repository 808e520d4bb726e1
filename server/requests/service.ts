import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Page } from "@/db/queries/requests";
import {
  createRequest,
  decideRequest,
  getRequest,
  listRequests,
  type KindDecisions,
  type KindFields,
  type ListedRow,
} from "@/db/queries/request-store";
import { isRevisionRefused, revisionChainIds, type RevisionRefused } from "@/db/queries/revisions";
import { checkComments } from "@/lib/diff/comments";
import {
  CreateApprovalInput,
  CreateQuestionInput,
  CreateToolCallInput,
  DecisionInput,
  DEFAULT_LIST_LIMIT,
  IdParam,
  REQUEST_SCHEMAS,
  ResponseInput,
  ToolCallDecisionInput,
} from "@/lib/api/schemas";
import { actorName, can, type Principal } from "@/lib/auth/principal";
import { decisionOf, KINDS, statusOf, type RequestKind, type RequestRow } from "@/lib/domain/kinds";
import { decidedToolInput, deriveToolCall, hunksEditable } from "@/lib/domain/tool-calls";
import { ApiError, invalid, notFound } from "@/server/api/errors";
import { decodeCursor, requestJson } from "@/server/api/serialize";
import { countCreated, countDecision } from "@/server/metrics";
import { applyRules } from "@/server/rules/apply";
import { hunksDecision } from "./hunks";

/*
 * The requests of every kind, as both doors use them: the agent API (server/api/
 * requests.ts) and the dashboard's server actions (server/requests/forms.ts). Validation
 * and normalisation are the zod schemas of lib/api/schemas.ts, applied here and only
 * here; who may do what beyond the role (a bound key, a key deciding its own request) is
 * checked here too. Failures are ApiErrors: the API answers them as they are, the forms
 * show them at their fields.
 */

type CreateInputs = {
  approval: z.output<typeof CreateApprovalInput>;
  question: z.output<typeof CreateQuestionInput>;
  tool_call: z.output<typeof CreateToolCallInput>;
};
type DecideInputs = {
  approval: z.output<typeof DecisionInput>;
  question: z.output<typeof ResponseInput>;
  tool_call: z.output<typeof ToolCallDecisionInput>;
};

/** API input (validated) → the store's fields and decision, per kind. */
const INPUT: {
  [K in RequestKind]: {
    fields(input: CreateInputs[K]): KindFields[K];
    /** the store's decision, from the input and the request as it is (throws an ApiError) */
    decision(input: DecideInputs[K], row?: RequestRow<K>): KindDecisions[K];
    /** an id derived from the input when it has none (null: a random one) */
    id?(input: CreateInputs[K]): string | null;
    /** rules of a decision that depend on the request itself (throws an ApiError) */
    check?(row: RequestRow<K>, input: DecideInputs[K]): void;
  };
} = {
  approval: {
    fields: (i) => ({
      filePath: i.file_path,
      diff: i.diff,
      description: i.description ?? null,
      supersedes: i.supersedes ?? null,
    }),
    decision: (i, row) => ({
      approved: i.approved,
      comment: i.comment || null,
      comments: i.comments,
      // a rule's decision at submission has no row yet: no hunks to decide
      hunks: row ? hunksDecision(row.diff, i) : null,
    }),
    check: (row, i) => checkInlineComments(row.diff, row.filePath, i),
  },
  question: {
    fields: (i) => ({
      question: i.question,
      context: (i.context ?? null) as Record<string, unknown> | null,
      options: i.options ?? null,
      multiSelect: i.options ? (i.multi_select ?? false) : null,
      allowText: i.options ? (i.allow_text ?? true) : null,
    }),
    // chosen labels alone: the response text is them, so readers of `response` see an answer
    decision: (i) => ({
      response: i.response ?? (i.selected ?? []).join(", "),
      selected: i.selected?.length ? i.selected : null,
    }),
    check: checkChoice,
  },
  tool_call: {
    fields: (i) => {
      const toolInput = i.tool_input as Record<string, unknown>;
      const derived = deriveToolCall(i.tool_name, toolInput, {
        cwd: i.cwd ?? null,
        exactDiff: i.diff ?? null,
      });
      return {
        ...derived,
        toolName: i.tool_name,
        toolInput,
        diffExact: !!i.diff,
        sessionId: i.session_id ?? null,
        cwd: i.cwd ?? null,
        hookEvent: i.hook_event ?? null,
        toolUseId: i.tool_use_id ?? null,
        onTimeout: i.on_timeout ?? "deny",
        permissionSuggestions: i.permission_suggestions?.length
          ? (i.permission_suggestions as Record<string, unknown>[])
          : null,
      };
    },
    decision: (i, row) => {
      const splittable = !!row && hunksEditable(row);
      const hunks = hunksDecision(row?.diff ?? null, i, {
        splittable,
        why: "Hunks can be decided and edited only on an Edit, MultiEdit or Write whose diff Nexus derived (not an exact diff, not another tool)",
      });
      const updatedInput =
        i.approved && splittable && hunks && row
          ? decidedToolInput(
              row.toolName,
              row.toolInput as Record<string, unknown>,
              i.hunks ?? [],
              i.edits ?? [],
            )
          : null;
      return {
        approved: i.approved,
        comment: i.comment || null,
        hunks,
        updatedInput,
        allowSession: i.allow_session ?? null,
        comments: i.comments,
      };
    },
    check: (row, i) => checkInlineComments(row.diff, row.filePath ?? undefined, i),
    id: (i) =>
      i.session_id && i.tool_use_id ? toolCallId(i.agent_id, i.session_id, i.tool_use_id) : null,
  },
};

/**
 * The id of a tool call an agent identified itself (its session and its own id of the
 * call): a retry of the same call finds the same request instead of making another. A
 * UUID (version 8, RFC 9562) from SHA-256 of the three, so nobody else's call collides.
 */
export function toolCallId(agentId: string, sessionId: string, toolUseId: string): string {
  const h = createHash("sha256")
    .update(JSON.stringify(["nexus.tool_call", agentId, sessionId, toolUseId]))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8
  h[8] = (h[8]! & 0x3f) | 0x80; // variant 10
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Inline comments point at lines the request's diff shows (400 naming each that does not). */
function checkInlineComments(
  diff: string | null,
  filePath: string | undefined,
  input: { comments?: DecideInputs["approval"]["comments"] },
) {
  const problems = checkComments(diff, input.comments ?? [], filePath);
  if (problems.length) {
    throw new ApiError(
      "invalid_request",
      `The decision is invalid: ${problems[0]!.message}.`,
      problems,
    );
  }
}

/** The answer fits the question: chosen labels among its options, text only if allowed. */
function checkChoice(row: RequestRow<"question">, input: DecideInputs["question"]) {
  const options = row.options ?? null;
  const selected = input.selected ?? [];
  const refuse = (path: string, message: string) => {
    throw new ApiError("invalid_request", "The response is invalid.", [{ path, message }]);
  };
  if (!options) {
    if (selected.length) refuse("selected", "This question has no options: answer with response");
    return;
  }
  selected.forEach((label, i) => {
    if (!options.includes(label)) refuse(`selected.${i}`, `"${label}" is not one of the options`);
  });
  if (selected.length > 1 && !row.multiSelect) {
    refuse("selected", "Choose one option: this question does not allow several");
  }
  if (input.response !== undefined && row.allowText === false) {
    refuse("response", "This question takes one of its options only, not a typed answer");
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, message: string, prefix?: string) {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, message, prefix);
  return result.data as z.output<S>;
}

const noun = (kind: RequestKind) => KINDS[kind].words.noun;

export function parseId(raw: unknown): string {
  return parse(IdParam, raw, "The id is invalid.", "id");
}

/** A key bound to an agent_id may only submit as that agent. */
function checkAgent(principal: Principal, agentId: string) {
  if (principal.kind === "key" && principal.agentId && principal.agentId !== agentId) {
    throw new ApiError(
      "forbidden",
      `This key is bound to agent_id "${principal.agentId}"; it cannot submit as "${agentId}".`,
      [{ path: "agent_id", message: `Must be "${principal.agentId}" for this key` }],
    );
  }
}

/** The shorter of two expiry windows (null: none). */
const earlier = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * Submit a request (idempotent by id): created, an identical retry, or 409 for a reused id.
 * `requiredApprovals` (a rule's require_approvals) raises the quorum the body asks for,
 * and so does the matching rule's.
 */
export async function submit<K extends RequestKind>(
  kind: K,
  principal: Principal,
  body: unknown,
  opts: { requiredApprovals?: number } = {},
): Promise<{ created: boolean; row: RequestRow<K> }> {
  const schema = REQUEST_SCHEMAS[kind].create as unknown as z.ZodType<CreateInputs[K]>;
  if (!can(principal, "submit"))
    throw new ApiError("forbidden", "Your role cannot submit requests.");
  const input = parse(schema, body, `The ${noun(kind)} is invalid.`);
  checkAgent(principal, input.agent_id);
  const io = INPUT[kind] as (typeof INPUT)[K];
  const fields = io.fields(input);
  const applied = await applyRules(kind, fields, {
    agentId: input.agent_id,
    keyName: principal.kind === "key" ? principal.name : null,
    decision: (approved, comment) =>
      io.decision({ approved, comment } as unknown as DecideInputs[K]),
  });
  const outcome = await createRequest(kind, {
    ...fields,
    id: input.id ?? io.id?.(input) ?? randomUUID(),
    agentId: input.agent_id,
    timestamp: input.timestamp ? new Date(input.timestamp) : null,
    expiresInS: earlier(input.expires_in_s ?? null, applied?.expireAfterS ?? null),
    submittedKeyId: principal.kind === "key" ? principal.id : null,
    rule: applied?.effect ?? null,
    requiredApprovals: Math.max(
      (input as { required_approvals?: number }).required_approvals ?? 1,
      opts.requiredApprovals ?? 1,
      applied?.requiredApprovals ?? 1,
    ),
  }).catch((err: unknown) => {
    throw isRevisionRefused(err) ? revisionError(err, input.agent_id) : err;
  });
  if (outcome.kind === "different") {
    throw new ApiError(
      "conflict",
      `This id is already used by another ${noun(kind)} with different content. Use a new id for a new request.`,
      [{ path: "id", message: `Already used for a different ${noun(kind)}` }],
    );
  }
  if (outcome.kind === "created") {
    countCreated(kind);
    if (applied?.effect.decision)
      countDecision(kind, statusOf(kind, outcome.row, new Date()), "rule");
  }
  return { created: outcome.kind === "created", row: outcome.row };
}

/** Why `supersedes` was refused, as the API says it (400 or 409, naming the ids). */
function revisionError(err: RevisionRefused, agentId: string): ApiError {
  const { id, agentId: owner, successor } = err.earlier;
  if (err.reason === "unknown") {
    return new ApiError("invalid_request", `supersedes: no approval has the id ${id}.`, [
      { path: "supersedes", message: `No approval has the id ${id}` },
    ]);
  }
  if (err.reason === "other_agent") {
    return new ApiError(
      "invalid_request",
      `supersedes: approval ${id} belongs to agent_id "${owner}"; a revision must come from the same agent (this one is "${agentId}").`,
      [{ path: "supersedes", message: `Approval ${id} is another agent's` }],
    );
  }
  return new ApiError(
    "conflict",
    `supersedes: approval ${id} already has a revision, ${successor}. Revise the latest one instead.`,
    [{ path: "supersedes", message: `Already revised by ${successor}` }],
  );
}

/**
 * An approval's chain of revisions, first version first (null: no such approval).
 * `min`: when the chain is shorter, its ids only are looked up and null is returned
 * (the review page of a first version with no revision reads no row twice).
 */
export async function revisions(id: string, min = 1): Promise<RequestRow<"approval">[] | null> {
  const ids = await revisionChainIds(id);
  if (ids.length === 0 || ids.length < min) return null;
  const rows: RequestRow<"approval">[] = [];
  for (const each of ids) {
    const row = await getRequest("approval", each);
    if (row) rows.push(row);
  }
  return rows;
}

export async function read<K extends RequestKind>(
  kind: K,
  id: string,
): Promise<RequestRow<K> | null> {
  return getRequest(kind, id);
}

export const isPending = <K extends RequestKind>(kind: K, row: RequestRow<K>, now: Date) =>
  statusOf(kind, row, now) === "pending";

export async function list<K extends RequestKind>(
  kind: K,
  query: unknown,
): Promise<Page<ListedRow<K>>> {
  const q = parse(REQUEST_SCHEMAS[kind].list, query, "The query is invalid.");
  return listRequests(kind, {
    status: q.status,
    agentId: q.agent_id,
    limit: q.limit ?? DEFAULT_LIST_LIMIT,
    cursor: decodeCursor(q.cursor),
  });
}

/** Someone decided first, or the request expired: 409 with the request as it is now. */
export class DecisionConflict<K extends RequestKind = RequestKind> extends ApiError {
  constructor(
    readonly kind: K,
    readonly row: RequestRow<K>,
    readonly reason: "expired" | "already_decided" | "superseded",
  ) {
    const current = requestJson(kind, row as unknown as ListedRow<K>, { withDiff: false });
    const { by } = decisionOf(kind, row);
    const verb = KINDS[kind].words.verb;
    const successor = "superseded_by" in current ? current.superseded_by : null;
    super(
      "conflict",
      reason === "expired"
        ? `This ${noun(kind)} expired before it was ${verb}d; it can no longer be ${verb}d.`
        : reason === "superseded"
          ? `This ${noun(kind)} was superseded by a revision (${successor}) before it was ${verb}d: review that one instead.`
          : `This ${noun(kind)} was already ${current.status} by ${by ?? "someone else"}.`,
      undefined,
      current,
    );
  }
}

/**
 * Decide (approve/reject, answer): the one path of both doors. `body` is the API's
 * decision body ({approved, comment} / {response}); the forms send the same fields.
 */
export async function decide<K extends RequestKind>(
  kind: K,
  principal: Principal,
  rawId: unknown,
  body: unknown,
): Promise<RequestRow<K>> {
  // the doors check the role first (with their own words); this holds for any new door
  if (!can(principal, "decide"))
    throw new ApiError("forbidden", "Your role cannot decide requests.");
  const id = parseId(rawId);
  const schema = REQUEST_SCHEMAS[kind].decide as unknown as z.ZodType<DecideInputs[K]>;
  const input = parse(schema, body, `The ${KINDS[kind].paths.decision} is invalid.`);
  const io = INPUT[kind] as (typeof INPUT)[K];
  // what the request allows (its options, its diff) never changes after it is made: read
  // it before deciding
  const current = await getRequest(kind, id);
  if (!current) throw notFound(KINDS[kind].words.label);
  io.check?.(current, input);
  const result = await decideRequest(kind, {
    id,
    decision: io.decision(input, current),
    decidedBy: actorName(principal),
    keyId: principal.kind === "key" ? principal.id : null,
  });
  if (result.ok) {
    if (result.final) countDecision(kind, statusOf(kind, result.row, new Date()), "human");
    return result.row;
  }
  if (result.reason === "not_found" || !result.row) throw notFound(KINDS[kind].words.label);
  if (result.reason === "already_approved") {
    const left = result.row.requiredApprovals - result.row.approvalCount;
    throw new ApiError(
      "conflict",
      `You already approved this ${noun(kind)}; it needs ${left} more ${left === 1 ? "approval" : "approvals"} from other reviewers.`,
      undefined,
      requestJson(kind, result.row as unknown as ListedRow<K>, { withDiff: false }),
    );
  }
  if (result.reason === "own_request") {
    throw new ApiError(
      "forbidden",
      `This key submitted this ${noun(kind)}, so it cannot ${KINDS[kind].words.verb} it: a person or another reviewer key must.`,
    );
  }
  throw new DecisionConflict(kind, result.row, result.reason);
}
