import { sql } from "drizzle-orm";
import type { InlineComment } from "@/lib/diff/comments";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { HunkRecord } from "../lib/diff/review";

/*
 * The three tables of the original database document (docs/architecture.md, Databases),
 * column for column. TIMESTAMP is "without time zone" as in the seed; every connection runs
 * with TimeZone=UTC, so NOW() and the values we write are UTC wall-clock times.
 * Columns after the seed's are additions (all nullable): no seed query changes meaning.
 */

export const approvalRequests = pgTable(
  "approval_requests",
  {
    id: uuid("id").primaryKey(),
    filePath: text("file_path").notNull(),
    diff: text("diff").notNull(),
    description: text("description"),
    agentId: text("agent_id").notNull(),
    timestamp: timestamp("timestamp").defaultNow(),
    approved: boolean("approved"),
    approvedAt: timestamp("approved_at"),
    createdAt: timestamp("created_at").defaultNow(),
    // additions
    comment: text("comment"),
    decidedBy: text("decided_by"),
    expiresAt: timestamp("expires_at"),
    /** the API key that submitted the request (null: submitted before keys were recorded) */
    submittedKeyId: uuid("submitted_key_id"),
    /** quorum: how many different reviewers must approve (any rejection rejects) */
    requiredApprovals: integer("required_approvals").notNull().default(1),
    /** approvals recorded so far (request_approvals); the decision is set at the last one */
    approvalCount: integer("approval_count").notNull().default(0),
    /** the rule that applied when it was created (lib/rules; null: none) */
    ruleName: text("rule_name"),
    /** reviewers a rule routed it to (their inbox marks it "routed to you") */
    routedTo: jsonb("routed_to").$type<string[]>(),
    /** what a rule makes of it when it expires undecided: approve (null/deny: expired) */
    onExpiry: text("on_expiry"),
    /** a rule's escalation threshold in seconds (null: the agent's or global setting) */
    escalateAfterS: integer("escalate_after_s"),
    /** every hunk as decided: file, index, header, accepted, note, edited (null: undecided or not a diff) */
    hunkDecisions: jsonb("hunk_decisions").$type<HunkRecord[]>(),
    /** what was accepted, when it differs from `diff` (hunks rejected or edited; null: all of it) */
    appliedDiff: text("applied_diff"),
    /** the reviewer edited the new side of a hunk before approving */
    edited: boolean("edited"),
    /** the reviewer's inline comments on lines of the diff (null: none) */
    inlineComments: jsonb("inline_comments").$type<InlineComment[]>(),
    /** the earlier approval this one is a revision of (null: a first version) */
    supersedes: uuid("supersedes"),
    /** 1 for a first version, n + 1 for a revision of revision n (null: 1) */
    revision: integer("revision"),
    /** set when a revision replaced this one while it was pending: its status is superseded */
    supersededBy: uuid("superseded_by"),
  },
  (t) => [
    index("idx_approval_requests_agent_id").on(t.agentId),
    // one revision per request: a second one names the latest instead
    uniqueIndex("idx_approval_requests_supersedes").on(t.supersedes),
    index("idx_approval_requests_timestamp").on(t.timestamp),
    index("idx_approval_requests_pending")
      .on(t.timestamp)
      .where(sql`${t.approved} IS NULL`),
    index("idx_approval_requests_approved_at").on(t.approvedAt),
  ],
);
export type ApprovalRow = typeof approvalRequests.$inferSelect;
export type NewApprovalRow = typeof approvalRequests.$inferInsert;

export const questionRequests = pgTable(
  "question_requests",
  {
    id: uuid("id").primaryKey(),
    question: text("question").notNull(),
    context: jsonb("context"),
    agentId: text("agent_id").notNull(),
    timestamp: timestamp("timestamp").defaultNow(),
    response: text("response"),
    responseAt: timestamp("response_at"),
    createdAt: timestamp("created_at").defaultNow(),
    // additions
    respondedBy: text("responded_by"),
    expiresAt: timestamp("expires_at"),
    /** the API key that submitted the request (null: submitted before keys were recorded) */
    submittedKeyId: uuid("submitted_key_id"),
    /** multiple choice: the labels offered (null: a free-text question) */
    options: jsonb("options").$type<string[]>(),
    /** more than one label may be chosen (null when there are no options) */
    multiSelect: boolean("multi_select"),
    /** a typed answer is allowed beside the options (null when there are no options) */
    allowText: boolean("allow_text"),
    /** the labels the reviewer chose (null: none chosen, or no options) */
    selected: jsonb("selected").$type<string[]>(),
    /** quorum: how many different reviewers must approve (any rejection rejects) */
    requiredApprovals: integer("required_approvals").notNull().default(1),
    /** approvals recorded so far (request_approvals); the decision is set at the last one */
    approvalCount: integer("approval_count").notNull().default(0),
    /** the rule that applied when it was created (lib/rules; null: none) */
    ruleName: text("rule_name"),
    /** reviewers a rule routed it to (their inbox marks it "routed to you") */
    routedTo: jsonb("routed_to").$type<string[]>(),
    /** what a rule makes of it when it expires undecided: approve (null/deny: expired) */
    onExpiry: text("on_expiry"),
    /** a rule's escalation threshold in seconds (null: the agent's or global setting) */
    escalateAfterS: integer("escalate_after_s"),
  },
  (t) => [
    index("idx_question_requests_agent_id").on(t.agentId),
    index("idx_question_requests_timestamp").on(t.timestamp),
    index("idx_question_requests_pending")
      .on(t.timestamp)
      .where(sql`${t.response} IS NULL`),
    index("idx_question_requests_response_at").on(t.responseAt),
  ],
);
export type QuestionRow = typeof questionRequests.$inferSelect;
export type NewQuestionRow = typeof questionRequests.$inferInsert;

/**
 * Tool calls of coding agents (Claude Code hooks, the MCP permission prompt): the tool and
 * its input as the agent sent them, plus what Nexus derived for the reviewer (the file
 * and a diff of an edit, Bash's description). Decided like an approval (approve/reject).
 */
export const toolCallRequests = pgTable(
  "tool_call_requests",
  {
    id: uuid("id").primaryKey(),
    toolName: text("tool_name").notNull(),
    toolInput: jsonb("tool_input").notNull(),
    /** one line for lists: the edited file, Bash's command (first line), or the tool name */
    title: text("title").notNull(),
    /** the edited file (Edit, MultiEdit, Write, NotebookEdit) */
    filePath: text("file_path"),
    /** a unified diff of the edit (null: not an edit) */
    diff: text("diff"),
    /** true: the diff came from beside the files (real line numbers); false: derived here */
    diffExact: boolean("diff_exact"),
    /** the agent's description (Bash's `description`) */
    description: text("description"),
    sessionId: text("session_id"),
    cwd: text("cwd"),
    /** PreToolUse, PermissionRequest, permission_prompt (MCP), or null (API) */
    hookEvent: text("hook_event"),
    toolUseId: text("tool_use_id"),
    agentId: text("agent_id").notNull(),
    timestamp: timestamp("timestamp").defaultNow(),
    createdAt: timestamp("created_at").defaultNow(),
    expiresAt: timestamp("expires_at"),
    approved: boolean("approved"),
    approvedAt: timestamp("approved_at"),
    comment: text("comment"),
    decidedBy: text("decided_by"),
    /** the input the reviewer approved instead (edit before approve; null: unchanged) */
    updatedInput: jsonb("updated_input"),
    /** what the agent is told when nobody answers in time: deny, or ask (its own prompt) */
    onTimeout: text("on_timeout"),
    submittedKeyId: uuid("submitted_key_id"),
    /** quorum: how many different reviewers must approve (any rejection rejects) */
    requiredApprovals: integer("required_approvals").notNull().default(1),
    /** approvals recorded so far (request_approvals); the decision is set at the last one */
    approvalCount: integer("approval_count").notNull().default(0),
    /** Claude Code's permission_suggestions (PermissionRequest): what "allow for this session" grants */
    permissionSuggestions: jsonb("permission_suggestions").$type<Record<string, unknown>[]>(),
    /** the reviewer approved with "allow for this session": answered with updatedPermissions */
    allowSession: boolean("allow_session"),
    /** the rule that applied when it was created (lib/rules; null: none) */
    ruleName: text("rule_name"),
    /** reviewers a rule routed it to (their inbox marks it "routed to you") */
    routedTo: jsonb("routed_to").$type<string[]>(),
    /** what a rule makes of it when it expires undecided: approve (null/deny: expired) */
    onExpiry: text("on_expiry"),
    /** a rule's escalation threshold in seconds (null: the agent's or global setting) */
    escalateAfterS: integer("escalate_after_s"),
    /** as approval_requests: the hunks of `diff` as decided, what was applied, edited */
    hunkDecisions: jsonb("hunk_decisions").$type<HunkRecord[]>(),
    appliedDiff: text("applied_diff"),
    edited: boolean("edited"),
    /** the reviewer's inline comments on lines of the diff (null: none) */
    inlineComments: jsonb("inline_comments").$type<InlineComment[]>(),
  },
  (t) => [
    index("idx_tool_call_requests_agent_id").on(t.agentId),
    index("idx_tool_call_requests_timestamp").on(t.timestamp),
    index("idx_tool_call_requests_pending")
      .on(t.timestamp)
      .where(sql`${t.approved} IS NULL`),
    index("idx_tool_call_requests_approved_at").on(t.approvedAt),
  ],
);
export type ToolCallRow = typeof toolCallRequests.$inferSelect;

export const hitlMetrics = pgTable(
  "hitl_metrics",
  {
    id: serial("id").primaryKey(),
    requestType: varchar("request_type", { length: 50 }).notNull(),
    requestId: uuid("request_id").notNull(),
    responseTimeMs: integer("response_time_ms"),
    userId: text("user_id"),
    createdAt: timestamp("created_at").defaultNow(),
    // addition: decided by a rule (user_id "rule:<name>"), not by a person
    automatic: boolean("automatic").notNull().default(false),
    // additions: a decision on a diff's hunks (null: not one)
    hunksAccepted: integer("hunks_accepted"),
    hunksTotal: integer("hunks_total"),
  },
  (t) => [
    unique("hitl_metrics_request_unique").on(t.requestType, t.requestId),
    index("idx_hitl_metrics_created_at").on(t.createdAt),
  ],
);
export type MetricRow = typeof hitlMetrics.$inferSelect;

/**
 * hitl_metrics rolled up (issue 16): per UTC day and over all time ('-infinity'), per
 * request type (and all types together, request_type '*'), and within each type per
 * agent or per reviewer, each a log-bucket histogram
 * of response times (lib/metrics/sketch.ts: bucket -1 = 0 ms, -2 = no response time).
 * Kept by a trigger on hitl_metrics inserts (migration metrics_rollup_trigger), in the
 * inserting transaction; `shard` spreads concurrent decisions over rows (the inserting
 * connection's pid), so they do not queue on one row. Rebuilt by `nexus metrics rebuild`.
 */
export const hitlMetricsRollup = pgTable(
  "hitl_metrics_rollup",
  {
    /** type | agent | reviewer */
    dim: text("dim").notNull(),
    /** start of the UTC day of created_at; '-infinity' for the all-time rows */
    day: timestamp("day").notNull(),
    requestType: varchar("request_type", { length: 50 }).notNull(),
    /** '' (dim type), the request's agent_id (null: request gone), hitl_metrics.user_id */
    key: text("key"),
    bucket: smallint("bucket").notNull(),
    shard: smallint("shard").notNull(),
    /** hitl_metrics rows */
    n: bigint("n", { mode: "number" }).notNull(),
    /** sum of their response_time_ms */
    sumMs: bigint("sum_ms", { mode: "number" }).notNull(),
    minMs: integer("min_ms"),
    maxMs: integer("max_ms"),
    /** of those: decided approvals, approved ones, answered questions (request still there) */
    approvals: bigint("approvals", { mode: "number" }).notNull(),
    approved: bigint("approved", { mode: "number" }).notNull(),
    questions: bigint("questions", { mode: "number" }).notNull(),
  },
  (t) => [
    unique("hitl_metrics_rollup_key")
      .on(t.dim, t.requestType, t.day, t.bucket, t.key, t.shard)
      .nullsNotDistinct(),
  ],
);

/* ---- Accounts (better-auth's tables, mapped in server/auth) ---------------------------- */

export const ROLES = ["admin", "reviewer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  role: text("role").notNull().default("viewer"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
  /** set when an admin disables the account: no sign-in, sessions ended, name kept */
  disabledAt: timestamp("disabled_at"),
});
export type UserRow = typeof users.$inferSelect;

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestamp("created_at").notNull().defaultNow(),
    updatedAt: timestamp("updated_at").notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("idx_sessions_user_id").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at").notNull().defaultNow(),
    updatedAt: timestamp("updated_at").notNull().defaultNow(),
  },
  (t) => [index("idx_accounts_user_id").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamp("expires_at").notNull(),
  createdAt: timestamp("created_at").notNull().defaultNow(),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});

export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

/**
 * Failed sign-ins per account (lower-cased email) and client address (IPv6 by /64), for
 * the sign-in throttle (db/queries/login-failures.ts). Kept apart from better-auth's
 * rate_limits, whose rows it prunes after its own shortest window.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    email: text("email").notNull(),
    address: text("address").notNull(),
    count: integer("count").notNull(),
    firstFailedAt: timestamp("first_failed_at").notNull(),
    lastFailedAt: timestamp("last_failed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.email, t.address] }),
    index("sign_in_failures_last_failed_idx").on(t.lastFailedAt),
  ],
);

/** Generated secrets shared by every process on the database (the auth secret). */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at").notNull().defaultNow(),
});

/* ---- API keys for agents and integrations ------------------------------------------ */

/** monitor: reads /api/v1/status and /api/prometheus only (dashboards, scrapers). */
export const API_KEY_ROLES = ["agent", "reviewer", "monitor"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  role: text("role").notNull(),
  /** sha256 of the whole key, hex. The key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique(),
  /** First characters of the key, shown in lists so a person can tell keys apart. */
  prefix: text("prefix").notNull(),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at"),
  revokedAt: timestamp("revoked_at"),
  /** when set, the key may only submit requests as this agent_id (403 otherwise) */
  agentId: text("agent_id"),
});
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/* ---- Notifications: the outbox, its deliveries, webhooks, escalation ------------------ */

/**
 * What happened to a request, written in the transaction that made it happen (created,
 * decided) or by the sweep that noticed it (expired, escalated). One row per request per
 * event type (the unique constraint): every channel (webhooks, email) fans out from here.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** request.created | request.decided | request.expired | request.escalated */
    type: text("type").notNull(),
    /** a kind of lib/domain/kinds.ts */
    requestType: text("request_type").notNull(),
    requestId: uuid("request_id").notNull(),
    agentId: text("agent_id").notNull(),
    /** the request as it was at the event (lib/notify/event.ts EventData) */
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at").notNull().defaultNow(),
    /** set once its deliveries exist (one row per subscriber of each channel) */
    dispatchedAt: timestamp("dispatched_at"),
  },
  (t) => [
    unique("outbox_events_request_type_unique").on(t.requestType, t.requestId, t.type),
    index("idx_outbox_events_undispatched")
      .on(t.createdAt)
      .where(sql`${t.dispatchedAt} IS NULL`),
  ],
);
export type OutboxEventRow = typeof outboxEvents.$inferSelect;

/**
 * One event to one subscriber of one channel (`webhook`: target = webhook id; another
 * channel names its own targets). Claimed with FOR UPDATE SKIP LOCKED and a lease, so
 * with several processes each delivery is attempted by one at a time.
 */
export const outboxDeliveries = pgTable(
  "outbox_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    target: text("target").notNull(),
    /** pending (to send or retry) | delivered | failed (given up) */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at").notNull().defaultNow(),
    /** while set and in the future, a process is sending it */
    leaseUntil: timestamp("lease_until"),
    lastAttemptAt: timestamp("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at"),
    createdAt: timestamp("created_at").notNull().defaultNow(),
    /** failures after this give up (status failed); "Redeliver" moves it */
    giveUpAt: timestamp("give_up_at").notNull(),
  },
  (t) => [
    unique("outbox_deliveries_event_target_unique").on(t.eventId, t.channel, t.target),
    index("idx_outbox_deliveries_due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("idx_outbox_deliveries_target").on(t.channel, t.target, t.createdAt),
  ],
);
export type OutboxDeliveryRow = typeof outboxDeliveries.$inferSelect;

export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  /** standard | slack | ntfy */
  format: text("format").notNull(),
  /** the event types it receives */
  events: text("events").array().notNull(),
  /** only requests of this agent / kind (null: all) */
  agentId: text("agent_id"),
  kind: text("kind"),
  /** whsec_… (Standard Webhooks); shown once when created */
  secret: text("secret").notNull(),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
  /** first failure of the current run of failures (null: last attempt succeeded) */
  failingSince: timestamp("failing_since"),
  disabledAt: timestamp("disabled_at"),
  disabledReason: text("disabled_reason"),
});
export type WebhookRow = typeof webhooks.$inferSelect;

/** "Escalate after N minutes pending": scope '' is the global setting, else an agent_id. */
export const escalationSettings = pgTable("escalation_settings", {
  scope: text("scope").primaryKey(),
  minutes: integer("minutes").notNull(),
  updatedBy: text("updated_by"),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});
/**
 * A reviewer's email choice (Settings → Account): none, one email per new request
 * (`each`), or a digest at most every `digest_minutes`. No row: none. Sent through the
 * outbox's email channel (server/email/channel.ts).
 */
export const emailPreferences = pgTable("email_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** none | each | digest */
  mode: text("mode").notNull().default("none"),
  digestMinutes: integer("digest_minutes").notNull().default(15),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});
export type EmailPreferenceRow = typeof emailPreferences.$inferSelect;

/**
 * Rules (lib/rules/rule.ts): evaluated in `position` order on every submission, from an
 * in-memory copy per process that a `rules.changed` NOTIFY refreshes (server/rules).
 * `rule` is the one JSON form, as `rule export` prints it.
 */
export const rules = pgTable("rules", {
  name: text("name").primaryKey(),
  position: integer("position").notNull(),
  rule: jsonb("rule").notNull(),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
  updatedBy: text("updated_by"),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});
export type RuleRow = typeof rules.$inferSelect;
/* ---- Quorum and the audit log --------------------------------------------------------- */

/**
 * One reviewer's approval of a request that needs several (required_approvals > 1): who
 * and when. The primary key is what stops a reviewer approving twice.
 */
export const requestApprovals = pgTable(
  "request_approvals",
  {
    requestType: text("request_type").notNull(),
    requestId: uuid("request_id").notNull(),
    reviewer: text("reviewer").notNull(),
    approvedAt: timestamp("approved_at").notNull().defaultNow(),
    comment: text("comment"),
  },
  (t) => [primaryKey({ columns: [t.requestType, t.requestId, t.reviewer] })],
);
export type RequestApprovalRow = typeof requestApprovals.$inferSelect;

/**
 * The audit log: security-relevant events, inserted in the transaction that made them
 * happen (no lock beyond the row's own). Append-only: triggers refuse UPDATE, DELETE and
 * TRUNCATE (migration audit-log). Chain order and hashes live in audit_chain.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { precision: 6 }).notNull().defaultNow(),
    /** request.created, request.decided, key.created, … (lib/audit/events.ts) */
    event: text("event").notNull(),
    /** who: a user's email, `key:<name>`, `rule:<name>`, `cli`, `system` (null: unknown) */
    actor: text("actor"),
    /** what it is about: approval, tool_call, question, key, user, webhook, escalation, … */
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("idx_audit_log_at").on(t.at),
    index("idx_audit_log_subject").on(t.subjectId),
    index("idx_audit_log_event").on(t.event, t.at),
  ],
);
export type AuditRow = typeof auditLog.$inferSelect;

/**
 * The hash chain over audit_log, written by the sealer (db/queries/audit.ts) shortly after
 * the entries commit: seq is the chain order, hash = SHA-256 of the entry's canonical
 * form, which includes prev_hash (docs/security.md, "Audit log"). Append-only too.
 */
export const auditChain = pgTable("audit_chain", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  entryId: bigint("entry_id", { mode: "number" }).notNull().unique(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
  sealedAt: timestamp("sealed_at").notNull().defaultNow(),
});
export type AuditChainRow = typeof auditChain.$inferSelect;
