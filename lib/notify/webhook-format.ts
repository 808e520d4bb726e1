import { Webhook } from "standardwebhooks";
import { headline, type EventData, type WebhookFormat } from "./events";

/*
 * An outbox event as an HTTP request, per webhook format:
 *   standard  Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature) with
 *             a JSON body {type, timestamp, data}
 *   slack     an incoming-webhook body {text, blocks}: Slack, Mattermost, Rocket.Chat,
 *             Discord's /slack endpoint (those read `text`; Slack shows the blocks)
 *   ntfy      a publish to an ntfy topic URL: the message as the body, Title, Priority,
 *             Tags, Click and an "Open" view action as headers
 */

export interface OutgoingMessage {
  /** the event type, or `webhook.test` */
  type: string;
  data: EventData;
  /** webhook-id: the same for every attempt of one delivery (receivers dedupe on it) */
  messageId: string;
  /** when the event happened */
  occurredAt: Date;
}

export interface HttpRequestSpec {
  headers: Record<string, string>;
  body: string;
}

const VERBS: Record<string, string> = {
  "request.created": "New",
  "request.decided": "Decided",
  "request.expired": "Expired",
  "request.escalated": "Waiting too long",
  "webhook.test": "Test",
};

/** "approval" → "Approval" */
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat;
};

/** A sentence for people: "New approval from agent-7: src/app.ts" */
export function title(m: OutgoingMessage): string {
  const d = m.data;
  const verb = VERBS[m.type] ?? m.type;
  return `${verb} ${d.kind} from ${oneLine(d.agent_id, 60)}: ${oneLine(headline(d), 80)}`;
}

function detail(m: OutgoingMessage): string {
  const d = m.data;
  if (m.type === "request.decided" && d.decision)
    return `${cap(d.status)} by ${d.decision.by ?? "someone"}${d.decision.text ? `: ${oneLine(d.decision.text, 200)}` : ""}`;
  if (m.type === "request.escalated")
    return `Pending for more than ${d.escalated_after_minutes ?? "?"} minutes.`;
  if (m.type === "request.expired") return "It expired before anyone decided it.";
  if (m.type === "webhook.test") return "A test message from Nexus: this webhook works.";
  return `Waiting for a reviewer${d.expires_at ? ` (expires ${d.expires_at.slice(0, 16).replace("T", " ")} UTC)` : ""}.`;
}

export function standardBody(m: OutgoingMessage, link: string) {
  return {
    type: m.type,
    timestamp: m.occurredAt.toISOString(),
    data: { ...m.data, url: link },
  };
}

/** Standard Webhooks: sign `${id}.${timestamp}.${body}` with the webhook's secret. */
export function standardRequest(
  m: OutgoingMessage,
  link: string,
  secret: string,
  now: Date,
): HttpRequestSpec {
  const body = JSON.stringify(standardBody(m, link));
  const signature = new Webhook(secret).sign(m.messageId, now, body);
  return {
    headers: {
      "content-type": "application/json",
      "webhook-id": m.messageId,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
  };
}

/** Slack mrkdwn treats &, < and > as markup (`<!channel>` would ping everyone). */
export const slackEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackBody(m: OutgoingMessage, link: string) {
  const head = slackEscape(title(m));
  const more = slackEscape(detail(m));
  const text = `${head}\n${more} <${link}|Open in Nexus>`;
  return {
    text, // what Mattermost, Rocket.Chat and Discord show, and Slack's notification text
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: `*${head}*\n${more}`.slice(0, 3000) },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: slackEscape(
              `${m.data.kind} ${m.data.id} · agent ${oneLine(m.data.agent_id, 100)}`,
            ),
          },
        ],
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Open" },
            url: link,
            action_id: "open",
          },
        ],
      },
    ],
  };
}

export function slackRequest(m: OutgoingMessage, link: string): HttpRequestSpec {
  return {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(slackBody(m, link)),
  };
}

/** ntfy priorities: escalations buzz hardest, decisions quietly. */
const NTFY_PRIORITY: Record<string, number> = {
  "request.escalated": 5,
  "request.created": 4,
  "request.expired": 3,
  "request.decided": 2,
  "webhook.test": 3,
};
const NTFY_TAGS: Record<string, string> = {
  "request.escalated": "rotating_light",
  "request.created": "bell",
  "request.expired": "hourglass",
  "request.decided": "white_check_mark",
  "webhook.test": "wave",
};

/**
 * A header value ntfy reads: ASCII as it is, anything else as RFC 2047 base64 (ntfy
 * decodes it; Node refuses non-Latin-1 header values outright).
 */
export function ntfyHeaderValue(s: string): string {
  const flat = s.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, "utf8").toString("base64")}?=`;
}

export function ntfyRequest(m: OutgoingMessage, link: string): HttpRequestSpec {
  return {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      Title: ntfyHeaderValue(title(m)),
      Priority: String(NTFY_PRIORITY[m.type] ?? 3),
      Tags: NTFY_TAGS[m.type] ?? "bell",
      Click: link,
      // the short action format: <action>, <label>, <url>[, clear=true]; the link is ours
      // (a public URL and a UUID path), so it holds no comma or semicolon
      Actions: `view, Open, ${link}, clear=true`,
    },
    body: `${detail(m)}\n${m.data.kind} ${m.data.id}`,
  };
}

/** The request a webhook of `format` sends for `m`. */
export function webhookRequest(
  format: WebhookFormat,
  m: OutgoingMessage,
  opts: { baseUrl: string; secret: string; now: Date },
): HttpRequestSpec {
  const link = `${opts.baseUrl}${m.data.path}`;
  if (format === "slack") return slackRequest(m, link);
  if (format === "ntfy") return ntfyRequest(m, link);
  return standardRequest(m, link, opts.secret, opts.now);
}

/** A fresh Standard Webhooks secret: whsec_ + 32 random bytes, base64. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}
