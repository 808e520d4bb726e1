import { z } from "zod";
import { KINDS, REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import * as CC from "@/lib/integrations/claude-code";
import * as S from "./schemas";

/*
 * The OpenAPI 3.1 document of the agent API, generated from the zod schemas in
 * ./schemas.ts (the same ones the handlers validate with): request bodies in their
 * input form, responses in their output form. Only paths and status codes are listed
 * here; no schema is written twice.
 */

type Json = Record<string, unknown>;

const kindSchemas = (pick: (k: RequestKind) => [string, z.ZodType][]) =>
  Object.fromEntries(REQUEST_KINDS.flatMap(pick));

const INPUTS = {
  ...kindSchemas((k) => {
    const s = S.REQUEST_SCHEMAS[k];
    return [
      [s.names.create, s.create],
      [s.names.decide, s.decide],
    ];
  }),
  ClaudeCodeHook: CC.HookBody,
};
const OUTPUTS = {
  ...kindSchemas((k) => {
    const s = S.REQUEST_SCHEMAS[k];
    return [
      [s.names.output, s.output],
      [`${s.names.output}List`, S.listOf(s.output)],
    ];
  }),
  Error: S.ErrorBody,
  Event: S.EventPayload,
  Health: S.Health,
};

function components(schemas: Record<string, z.ZodType>, io: "input" | "output") {
  const registry = z.registry<{ id: string }>();
  registry.add(S.JsonValue, { id: "JsonValue" });
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, Json>;
  for (const schema of Object.values(out)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return out;
}

function queryParameters(query: z.ZodObject, descriptions: Record<string, string>) {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = z.toJSONSchema(field as z.ZodType, { io: "input", unrepresentable: "any" });
    delete (schema as Json).$schema;
    return { name, in: "query", required: false, description: descriptions[name], schema };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });

const ERRORS = {
  400: error("invalid_request: malformed body, query or id; `details` lists each field"),
  401: error("unauthorized: no or bad API key"),
  403: error("forbidden: the key's role does not allow this"),
  404: error("not_found"),
  409: error("conflict"),
  413: error("payload_too_large: body over NEXUS_MAX_BODY_BYTES"),
  415: error("unsupported_media_type: send application/json"),
  503: error("service_unavailable: the database is unreachable; nothing was written"),
};
const pick = (...codes: (keyof typeof ERRORS)[]) =>
  Object.fromEntries(codes.map((c) => [c, ERRORS[c]]));

const idParam = {
  name: "id",
  in: "path",
  required: true,
  schema: z.toJSONSchema(S.IdParam, { io: "input" }),
};
const waitParam = queryParameters(S.WaitQuery, {
  wait: `Long poll: answer as soon as the request is decided, or after this many seconds (0-${S.MAX_WAIT_S}) with its pending state`,
});
const listDescriptions = {
  status: "Only requests in this status",
  agent_id: "Only requests of this agent",
  limit: `Page size, 1-${S.MAX_LIST_LIMIT} (default ${S.DEFAULT_LIST_LIMIT})`,
  cursor: "next_cursor of the previous page",
};

function requestPaths(kind: RequestKind) {
  const { paths, words } = KINDS[kind];
  const { segment, decision: decisionSegment } = paths;
  const { names, list } = S.REQUEST_SCHEMAS[kind];
  const one = names.output;
  const create = names.create;
  const decide = decisionSegment;
  const decideBody = names.decide;
  const created = {
    description: "Created",
    headers: { Location: { schema: { type: "string" } } },
    content: json(ref(one)),
  };
  return {
    [`/api/v1/${segment}`]: {
      post: {
        operationId: `create${one}`,
        summary: `Submit a new ${words.noun}`,
        requestBody: { required: true, content: json(ref(create)) },
        responses: {
          201: created,
          200: { description: "Identical retry of an existing id", content: json(ref(one)) },
          ...pick(400, 401, 403, 409, 413, 415, 503),
        },
      },
      get: {
        operationId: `list${one}s`,
        summary: `List ${segment}, newest first`,
        parameters: queryParameters(list, listDescriptions),
        responses: {
          200: { description: "A page", content: json(ref(`${one}List`)) },
          ...pick(400, 401, 403, 503),
        },
      },
    },
    [`/api/v1/${segment}/{id}`]: {
      get: {
        operationId: `get${one}`,
        parameters: [idParam, ...waitParam],
        responses: {
          200: { description: one, content: json(ref(one)) },
          ...pick(400, 401, 403, 404, 503),
        },
      },
    },
    [`/api/v1/${segment}/{id}/${decide}`]: {
      post: {
        operationId: `${words.verb}${one}`,
        summary: `${words.verb[0]!.toUpperCase()}${words.verb.slice(1)} (reviewer keys only; never a key's own request: 403); the loser of a race gets 409 with the winner`,
        parameters: [idParam],
        requestBody: { required: true, content: json(ref(decideBody)) },
        responses: {
          200: { description: "Decided", content: json(ref(one)) },
          ...pick(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
    },
  };
}

/**
 * zod's refinement (a reason is required to reject) has no JSON Schema of its own: say
 * it in the schema's terms, so a generated client knows it too.
 */
function withRejectRule(schemas: Record<string, Json>) {
  const name = S.REQUEST_SCHEMAS.approval.names.decide;
  const decision = schemas[name];
  if (decision) {
    decision.description =
      "approved: true approves, false rejects. Rejecting needs a comment that is not blank: the agent needs to know why.";
    decision.if = { properties: { approved: { const: false } }, required: ["approved"] };
    decision.then = {
      required: ["comment"],
      properties: { comment: { type: "string", pattern: "\\S" } },
    };
  }
  return schemas;
}

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Nexus agent API",
      version: "1.0.0",
      description:
        "AI agents submit code changes (unified diffs) and questions, and wait for a human decision.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths: {
      ...Object.assign({}, ...REQUEST_KINDS.map(requestPaths)),
      "/api/v1/integrations/claude-code/hook": {
        post: {
          operationId: "claudeCodeHook",
          summary:
            "Claude Code's PreToolUse / PermissionRequest http hook: creates a tool call, waits for the reviewer, answers with the hook JSON (allow, deny with the comment, or on timeout deny/ask). See docs/agents.md",
          parameters: queryParameters(CC.HookQuery, {}),
          requestBody: { required: true, content: json(ref("ClaudeCodeHook")) },
          responses: {
            200: {
              description:
                'PreToolUse: `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow|deny|ask","permissionDecisionReason":"…"}}`; PermissionRequest: `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}|{"behavior":"deny","message":"…"}}}`, or `{}` (no decision) on timeout with on_timeout=ask',
              content: json({ type: "object" }),
            },
            ...pick(400, 401, 403, 409, 413, 415, 503),
          },
        },
      },
      "/api/v1/events": {
        get: {
          operationId: "events",
          summary:
            "Server-Sent Events: `request.created` / `request.decided`, data is an Event; keep-alive comments every 20 s",
          responses: {
            200: {
              description: "text/event-stream",
              content: { "text/event-stream": { schema: ref("Event") } },
            },
            ...pick(401, 403, 503),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          security: [],
          responses: {
            200: { description: "Up", content: json(ref("Health")) },
            503: { description: "Database unreachable", content: json(ref("Health")) },
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "openapi",
          security: [],
          responses: { 200: { description: "This document" } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "API key" } },
      schemas: { ...withRejectRule(components(INPUTS, "input")), ...components(OUTPUTS, "output") },
    },
  };
}
