import { z } from "zod";
import { KINDS, REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import * as CC from "@/lib/integrations/claude-code";
import {
  BUCKETS,
  DEFAULT_PERIOD,
  MAX_BUCKETS,
  PERIOD_KEYS,
  REQUEST_TYPES,
} from "../metrics/period";
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
  ApprovalRevisions: S.RevisionList,
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
  429: error(
    "rate_limited: this key (or user) already holds as many long polls or event streams as allowed; see Retry-After",
  ),
  503: error(
    "service_unavailable: the database is unreachable (nothing was written) or did not answer in time; see Retry-After",
  ),
};

/*
 * Who may call: an API key (`Authorization: Bearer`), and for reads also a signed-in
 * browser session (its cookie). Per operation, so that each says what it needs.
 */
const KEY_ONLY = [{ bearer: [] }];
const KEY_OR_SESSION = [{ bearer: [] }, { session: [] }];
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
        security: KEY_ONLY,
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
        security: KEY_OR_SESSION,
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
        security: KEY_OR_SESSION,
        parameters: [idParam, ...waitParam],
        responses: {
          200: { description: one, content: json(ref(one)) },
          ...pick(400, 401, 403, 404, 429, 503),
        },
      },
    },
    [`/api/v1/${segment}/{id}/${decide}`]: {
      post: {
        operationId: `${words.verb}${one}`,
        security: KEY_ONLY,
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
      "approved: true approves, false rejects. Rejecting needs a comment that is not blank or at least one inline comment (request changes): the agent needs to know why.";
    decision.if = { properties: { approved: { const: false } }, required: ["approved"] };
    decision.then = {
      anyOf: [
        { required: ["comment"], properties: { comment: { type: "string", pattern: "\\S" } } },
        { required: ["comments"], properties: { comments: { type: "array", minItems: 1 } } },
      ],
    };
  }
  return schemas;
}

const obj = (properties: Json, required = Object.keys(properties)): Json => ({
  type: "object",
  properties,
  required,
});
const str = { type: "string" };
const int = { type: "integer" };
const strOrNull = { type: ["string", "null"] };
/** lib/ops/status.ts's Status */
const STATUS_SCHEMA = obj({
  version: str,
  commit: strOrNull,
  startedAt: str,
  uptimeSeconds: int,
  database: obj({
    kind: { enum: ["embedded", "server"] },
    where: str,
    sizeBytes: int,
    sizesAt: str,
    tables: {
      type: "array",
      items: obj({
        name: str,
        bytes: int,
        rows: { type: ["integer", "null"] },
        rowsExact: { type: "boolean" },
      }),
    },
    migrationsApplied: int,
    lastMigrationAt: strOrNull,
  }),
  connections: obj({
    poolMax: int,
    byState: { type: "object", additionalProperties: int },
    listener: int,
    psqlSessions: { type: ["integer", "null"] },
    psqlPort: { type: ["integer", "null"] },
  }),
  longPollsWaiting: int,
  eventStreamsOpen: int,
  pending: { type: "array", items: obj({ kind: str, count: int }) },
  oldestPending: {
    oneOf: [
      { type: "null" },
      obj({ kind: str, id: str, agentId: str, since: str, ageSeconds: int }),
    ],
  },
  backups: obj({
    enabled: { type: "boolean" },
    last: {
      oneOf: [{ type: "null" }, obj({ kind: str, at: str, bytes: int, path: str })],
    },
    next: { type: "array", items: obj({ kind: str, at: str }) },
  }),
  generatedAt: str,
  durationMs: { type: "number" },
});

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
    paths: {
      ...Object.assign({}, ...REQUEST_KINDS.map(requestPaths)),
      "/api/v1/approvals/{id}/revisions": {
        get: {
          operationId: "listApprovalRevisions",
          security: KEY_OR_SESSION,
          summary:
            "The chain of revisions the approval belongs to (each one's `supersedes` the one before), first version first, without diffs",
          parameters: [idParam],
          responses: {
            200: { description: "The chain", content: json(ref("ApprovalRevisions")) },
            ...pick(400, 401, 403, 404, 503),
          },
        },
      },
      "/api/v1/integrations/claude-code/hook": {
        post: {
          operationId: "claudeCodeHook",
          security: KEY_ONLY,
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
            ...pick(400, 401, 403, 409, 413, 415, 429, 503),
          },
        },
      },
      "/api/v1/events": {
        get: {
          operationId: "events",
          security: KEY_OR_SESSION,
          summary:
            "Server-Sent Events: `request.created` / `request.decided`, data is an Event; keep-alive comments every 20 s. The stream ends within 5 s once its key is revoked or its user signs out, is disabled or loses the role.",
          responses: {
            200: {
              description: "text/event-stream",
              content: { "text/event-stream": { schema: ref("Event") } },
            },
            ...pick(401, 403, 429, 503),
          },
        },
      },
      "/api/v1/metrics": {
        get: {
          operationId: "metrics",
          security: KEY_OR_SESSION,
          summary:
            "Response-time metrics of decided requests (hitl_metrics), as the /metrics page shows them",
          parameters: [
            {
              name: "period",
              in: "query",
              required: false,
              description: `One of ${PERIOD_KEYS.join(", ")} (default ${DEFAULT_PERIOD}); from/to without period mean custom`,
              schema: { type: "string", enum: [...PERIOD_KEYS] },
            },
            {
              name: "from",
              in: "query",
              required: false,
              description: "custom: inclusive start, YYYY-MM-DD or ISO date-time (UTC)",
              schema: { type: "string" },
            },
            {
              name: "to",
              in: "query",
              required: false,
              description: "custom: exclusive end (a date includes that whole day)",
              schema: { type: "string" },
            },
            {
              name: "type",
              in: "query",
              required: false,
              description: "Only approvals or only questions",
              schema: { type: "string", enum: [...REQUEST_TYPES] },
            },
          ],
          responses: {
            200: {
              description: `The figures; over_time has at most ${MAX_BUCKETS} buckets, their width (period.bucket) grows with the range: ${BUCKETS.join(", ")}. Periods longer than two days are read from the rollup: \`approximate\` {source: rollup | hitl_metrics, fields: the percentile fields that are estimates, relative_error: 0.01} — counts, averages, min and max stay exact`,
              content: json({ type: "object" }),
            },
            ...pick(400, 401, 403, 503),
          },
        },
      },
      "/api/v1/mcp": {
        post: {
          operationId: "mcp",
          security: KEY_ONLY,
          summary:
            "The MCP server (Streamable HTTP, stateless): one JSON-RPC 2.0 message per POST (send Accept: application/json, text/event-stream). Tools request_approval, ask_question and permission_prompt wait for the reviewer, with progress notifications; see docs/agents.md. ?timeout=<s> (1-86400, default 600) is the tools' default wait. Other methods: 405",
          parameters: [
            {
              name: "timeout",
              in: "query",
              required: false,
              description:
                "Default wait of the tools in seconds (1-86400); the request expires then",
              schema: { type: "integer", minimum: 1, maximum: 86400 },
            },
          ],
          requestBody: {
            required: true,
            content: json({ type: "object", description: "A JSON-RPC 2.0 message (MCP)" }),
          },
          responses: {
            200: {
              description: "The JSON-RPC answer, as text/event-stream (progress, then the result)",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            202: { description: "A notification or response was accepted" },
            406: {
              description:
                "Accept must list application/json and text/event-stream (a JSON-RPC error)",
            },
            ...pick(400, 401, 403, 413, 415, 503),
          },
        },
      },
      "/api/v1/me": {
        get: {
          operationId: "me",
          security: KEY_OR_SESSION,
          summary: "Who the caller is (check a key)",
          responses: {
            200: {
              description: "The caller",
              content: json({
                type: "object",
                properties: {
                  kind: { type: "string", enum: ["key", "user"] },
                  name: { type: "string" },
                  role: { type: "string" },
                },
                required: ["kind", "name", "role"],
                additionalProperties: false,
              }),
            },
            ...pick(401, 503),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          security: [],
          summary: "Liveness and database reachability, for load balancers; no key",
          responses: {
            200: { description: "Up", content: json(ref("Health")) },
            503: {
              description:
                "Database unreachable (status unavailable), or the process is shutting down (status shutting_down)",
              content: json(ref("Health")),
            },
          },
        },
      },
      "/api/v1/status": {
        get: {
          operationId: "status",
          security: KEY_OR_SESSION,
          summary:
            "The operators' view: version, uptime, database size and tables, connections, long polls and streams, migrations, backups, the oldest pending request (an admin session or a monitor key)",
          responses: {
            200: { description: "Status", content: json(STATUS_SCHEMA) },
            ...pick(401, 403, 503),
          },
        },
      },
      "/api/prometheus": {
        get: {
          operationId: "prometheus",
          // the bearer is NEXUS_PROMETHEUS_TOKEN or an admin/monitor key; none from loopback
          // when no token is set
          security: [{ bearer: [] }, {}],
          summary:
            "Prometheus metrics (text exposition format): bearer NEXUS_PROMETHEUS_TOKEN when set, else loopback callers; an admin or monitor key always",
          responses: {
            200: {
              description: "text/plain; version=0.0.4",
              content: { "text/plain": { schema: { type: "string" } } },
            },
            ...pick(401, 403, 503),
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "openapi",
          security: KEY_OR_SESSION,
          responses: { 200: { description: "This document" }, ...pick(401, 503) },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "API key" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "nexus.session_token",
          description:
            "A signed-in dashboard session (read operations only; __Secure-nexus.session_token over https)",
        },
      },
      schemas: { ...withRejectRule(components(INPUTS, "input")), ...components(OUTPUTS, "output") },
    },
  };
}
