import { z } from "zod";
import { MAX_AGENT_ID } from "@/lib/api/limits";
import {
  decisionOf,
  pagePath,
  REQUEST_KINDS,
  statusOf,
  type KindRows,
  type RequestKind,
} from "@/lib/domain/kinds";

/*
 * The events every notification channel (webhooks, email) reads from the outbox, and
 * what one says about its request. Pure: the store writes them (db/queries/outbox.ts),
 * channels format them (lib/notify/webhook-format.ts).
 */

export const EVENT_TYPES = [
  "request.created",
  "request.decided",
  "request.expired",
  "request.escalated",
] as const;
export type OutboxEventType = (typeof EVENT_TYPES)[number];

export const WEBHOOK_FORMATS = ["standard", "slack", "ntfy"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** What an event says about its request (stored as the outbox row's payload). */
export interface EventData {
  id: string;
  kind: string;
  agent_id: string;
  /** the status at the event: pending, approved, answered, expired… */
  status: string;
  /** the dashboard page of the request, from the site root (`/approvals/<id>`) */
  path: string;
  created_at: string | null;
  expires_at: string | null;
  /**
   * What the inbox shows of it, per kind (approval: file_path, description; question:
   * question), texts shortened: the kind's live event fields (db/events.ts).
   */
  summary: Record<string, unknown>;
  /** when decided: by whom, when, the comment or answer (shortened) */
  decision: { by: string | null; at: string | null; text: string | null } | null;
  /** request.escalated: the threshold it passed */
  escalated_after_minutes?: number;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Fields of a live event that are not the request's own summary. */
const BASE_EVENT_FIELDS = new Set([
  "type",
  "request_type",
  "id",
  "agent_id",
  "timestamp",
  "expires_at",
  "created_at",
]);

/** Longest decision text an event repeats (the request's page has all of it). */
export const DECISION_TEXT_CHARS = 500;

const shorten = (text: string | null, max: number) =>
  text === null ? null : text.length > max ? `${[...text].slice(0, max).join("")}…` : text;

/**
 * EventData of any kind's row. `liveEvent` is the kind's request.created live event
 * (the store's spec builds it): its fields beyond the common ones are the summary, so a
 * new kind needs nothing here.
 */
export function eventData<K extends RequestKind>(
  kind: K,
  row: KindRows[K],
  liveEvent: Record<string, unknown>,
  now: Date,
  extra: { escalatedAfterMinutes?: number } = {},
): EventData {
  const r = row as unknown as {
    id: string;
    agentId: string;
    createdAt: Date | null;
    expiresAt: Date | null;
  };
  const summary = Object.fromEntries(
    Object.entries(liveEvent).filter(([k]) => !BASE_EVENT_FIELDS.has(k)),
  );
  const d = decisionOf(kind, row);
  const decided = d.at !== null || d.by !== null;
  return {
    id: r.id,
    kind,
    agent_id: r.agentId,
    status: statusOf(kind, row, now),
    path: pagePath(kind, r.id),
    created_at: iso(r.createdAt),
    expires_at: iso(r.expiresAt),
    summary,
    decision: decided
      ? { by: d.by, at: iso(d.at), text: shorten(d.text, DECISION_TEXT_CHARS) }
      : null,
    ...(extra.escalatedAfterMinutes !== undefined
      ? { escalated_after_minutes: extra.escalatedAfterMinutes }
      : {}),
  };
}

/** The first text of the summary: the line a chat message or a push leads with. */
export function headline(data: EventData): string {
  for (const v of Object.values(data.summary)) if (typeof v === "string" && v.trim()) return v;
  return data.id;
}

/* ---- Webhook settings: what an admin may enter (form, CLI, any API) ------------------ */

export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
export const MAX_WEBHOOK_URL = 2000;

export const webhookUrlSchema = z
  .string({ error: "URL is required" })
  .trim()
  .min(1, "URL is required")
  .max(MAX_WEBHOOK_URL, `URL must be at most ${MAX_WEBHOOK_URL} characters`)
  .superRefine((v, ctx) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "URL must be an absolute http:// or https:// URL" });
      return;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:")
      ctx.addIssue({
        code: "custom",
        message: `URL must start with http:// or https:// (got ${u.protocol})`,
      });
    else if (u.username || u.password)
      ctx.addIssue({
        code: "custom",
        message: "URL must not carry a user name or password (they would be logged and shown)",
      });
  });

export const webhookEventsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(
        z.enum(EVENT_TYPES, {
          error: (issue) =>
            `Unknown event "${String(issue.input)}"; events are ${EVENT_TYPES.join(", ")}`,
        }),
      )
      .min(1, `Choose at least one event (${EVENT_TYPES.join(", ")})`)
      .transform((list) => [...new Set(list)]),
  );

export const webhookFormatSchema = z.enum(WEBHOOK_FORMATS, {
  error: (issue) =>
    `Unknown format "${String(issue.input)}"; formats are ${WEBHOOK_FORMATS.join(", ")}`,
});

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .optional()
    .transform((v) => v || null);

/** A secret the admin supplies: Standard Webhooks' whsec_<base64>, 24–64 bytes. */
export const webhookSecretSchema = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null)
  .superRefine((v, ctx) => {
    if (v === null) return;
    const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(v);
    const bytes = m ? Buffer.from(m[1]!, "base64").length : 0;
    if (!m)
      ctx.addIssue({
        code: "custom",
        message: "Secret must look like whsec_<base64> (or leave it empty to generate one)",
      });
    else if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES)
      ctx.addIssue({
        code: "custom",
        message: `Secret is too ${bytes < MIN_SECRET_BYTES ? "short" : "long"}: it must hold ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} random bytes (got ${bytes})`,
      });
  });

export const webhookInputSchema = z.object({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  format: z
    .string()
    .optional()
    .transform((v) => v || "standard")
    .pipe(webhookFormatSchema),
  agent_id: optionalText(MAX_AGENT_ID, "Agent id"),
  kind: z
    .string()
    .optional()
    .transform((v) => v || null)
    .pipe(
      z
        .enum(REQUEST_KINDS as [RequestKind, ...RequestKind[]], {
          error: (issue) =>
            `Unknown kind "${String(issue.input)}"; kinds are ${REQUEST_KINDS.join(", ")}`,
        })
        .nullable(),
    ),
  secret: webhookSecretSchema,
});
export type WebhookInput = z.output<typeof webhookInputSchema>;

/** Minutes a request may wait before it escalates (0: never, for an agent's override). */
export const MAX_ESCALATION_MINUTES = 60 * 24 * 30;
export const escalationMinutesSchema = z.coerce
  .number({ error: "Minutes must be a whole number" })
  .int("Minutes must be a whole number")
  .min(0, "Minutes must be 0 (off) or more")
  .max(MAX_ESCALATION_MINUTES, `Minutes must be at most ${MAX_ESCALATION_MINUTES} (30 days)`);
