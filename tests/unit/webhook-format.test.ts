import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { EVENT_TYPES, webhookInputSchema, type EventData } from "@/lib/notify/events";
import {
  newWebhookSecret,
  ntfyHeaderValue,
  webhookRequest,
  type OutgoingMessage,
} from "@/lib/notify/webhook-format";

/*
 * The three formats against what their receivers accept: Standard Webhooks verified
 * with its own package; Slack's incoming-webhook body and ntfy's publish headers
 * checked against the shapes in those services' documentation (recorded below).
 */

const data: EventData = {
  id: "7d0b8c5e-2a5e-4c1e-9d0a-1f2e3d4c5b6a",
  kind: "approval",
  agent_id: "agent <!channel> & co",
  status: "pending",
  path: "/approvals/7d0b8c5e-2a5e-4c1e-9d0a-1f2e3d4c5b6a",
  created_at: "2026-12-01T15:00:00.000Z",
  expires_at: null,
  summary: { file_path: "src/ünïcode/<b>.ts", description: "Fix it" },
  decision: null,
};
const message = (type: string, d: Partial<EventData> = {}): OutgoingMessage => ({
  type,
  data: { ...data, ...d },
  messageId: "msg_1",
  occurredAt: new Date("2026-12-01T15:00:00Z"),
});
const opts = { baseUrl: "https://nexus.example", secret: newWebhookSecret(), now: new Date() };

describe("standard (Standard Webhooks)", () => {
  test("signed so that the standardwebhooks package verifies it", () => {
    const req = webhookRequest("standard", message("request.created"), opts);
    const verified = new Webhook(opts.secret).verify(req.body, req.headers) as Record<
      string,
      unknown
    >;
    expect(verified).toMatchObject({
      type: "request.created",
      timestamp: "2026-12-01T15:00:00.000Z",
      data: { id: data.id, url: `https://nexus.example${data.path}`, kind: "approval" },
    });
    expect(req.headers["webhook-id"]).toBe("msg_1");
    expect(req.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    // tampering breaks it
    expect(() =>
      new Webhook(opts.secret).verify(req.body.replace("approval", "question"), req.headers),
    ).toThrow();
  });
});

/*
 * Slack's incoming webhook (docs.slack.dev "Sending messages using incoming webhooks"
 * and the Block Kit reference): a JSON body with `text` (the notification/fallback
 * text, which Mattermost, Rocket.Chat and Discord's /slack endpoint display) and
 * optional `blocks`; section.text is a text object of ≤ 3000 characters, context
 * elements are text objects, a button has plain_text text (≤ 75), url (≤ 3000) and
 * action_id (≤ 255). Recorded example from the docs:
 */
const SLACK_DOC_EXAMPLE = {
  text: "Danny Torrence left a 1 star review for your property.",
  blocks: [
    {
      type: "section",
      text: { type: "mrkdwn", text: "Danny Torrence left the following review for your property:" },
    },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open" },
          url: "https://example.com",
          action_id: "open",
        },
      ],
    },
  ],
};

function slackValid(body: unknown): string[] {
  const problems: string[] = [];
  const b = body as { text?: unknown; blocks?: unknown[] };
  if (typeof b.text !== "string" || !b.text) problems.push("text must be a non-empty string");
  if (b.blocks !== undefined) {
    if (!Array.isArray(b.blocks) || b.blocks.length > 50) problems.push("blocks: ≤ 50");
    for (const block of b.blocks ?? []) {
      const k = block as {
        type: string;
        text?: { type: string; text: string };
        elements?: unknown[];
      };
      const textObj = (t: { type: string; text: string } | undefined, max: number) =>
        !!t &&
        (t.type === "mrkdwn" || t.type === "plain_text") &&
        typeof t.text === "string" &&
        t.text.length > 0 &&
        t.text.length <= max;
      if (k.type === "section") {
        if (!textObj(k.text, 3000)) problems.push("section.text");
      } else if (k.type === "context") {
        if (!k.elements?.length || !k.elements.every((e) => textObj(e as never, 3000)))
          problems.push("context.elements");
      } else if (k.type === "actions") {
        for (const e of k.elements ?? []) {
          const btn = e as {
            type: string;
            text: { type: string; text: string };
            url: string;
            action_id: string;
          };
          if (btn.type !== "button" || btn.text.type !== "plain_text" || btn.text.text.length > 75)
            problems.push("button.text");
          if (!/^https?:\/\//.test(btn.url) || btn.url.length > 3000) problems.push("button.url");
          if (!btn.action_id || btn.action_id.length > 255) problems.push("button.action_id");
        }
      } else problems.push(`unexpected block ${k.type}`);
    }
  }
  return problems;
}

describe("slack (incoming webhook body)", () => {
  test("the validator accepts the documentation's example", () => {
    expect(slackValid(SLACK_DOC_EXAMPLE)).toEqual([]);
    expect(slackValid({ blocks: [] })).not.toEqual([]);
  });

  test.each(EVENT_TYPES)("%s: {text, blocks} in Slack's shape, markup escaped", (type) => {
    const req = webhookRequest(
      "slack",
      message(type, {
        status: type === "request.decided" ? "approved" : "pending",
        decision:
          type === "request.decided"
            ? { by: "rev@example.com", at: null, text: "ok <here>" }
            : null,
        escalated_after_minutes: 30,
      }),
      opts,
    );
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(slackValid(body)).toEqual([]);
    expect(body.text).toContain(`<https://nexus.example${data.path}|Open in Nexus>`);
    expect(body.text).not.toContain("<!channel>"); // would ping the channel
    expect(body.text).toContain("&lt;!channel&gt;");
  });

  test("a very long file path still fits the section limit", () => {
    const req = webhookRequest(
      "slack",
      message("request.created", { summary: { file_path: "a/".repeat(5000) } }),
      opts,
    );
    expect(slackValid(JSON.parse(req.body))).toEqual([]);
  });
});

/*
 * ntfy (docs.ntfy.sh/publish): POST the message to the topic URL; headers Title (alias
 * X-Title), Priority 1–5 or min/low/default/high/max/urgent, Tags (comma-separated),
 * Click (a URL), Actions in the short format "<action>, <label>, <url>[, clear=true]"
 * (several separated by ";"); non-ASCII header values may be RFC 2047 encoded.
 * Recorded example from the docs: Actions: "http, Open door, https://api.nest.com/open/yAxkasd, clear=true".
 */
function parseNtfyActions(header: string) {
  return header.split(";").map((a) => {
    const [action, label, url, ...rest] = a.split(",").map((s) => s.trim());
    return { action, label, url, params: rest };
  });
}

function decode2047(v: string): string {
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(v);
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : v;
}

describe("ntfy (publish with headers)", () => {
  test("the action parser reads the documentation's example", () => {
    expect(
      parseNtfyActions("http, Open door, https://api.nest.com/open/yAxkasd, clear=true"),
    ).toEqual([
      {
        action: "http",
        label: "Open door",
        url: "https://api.nest.com/open/yAxkasd",
        params: ["clear=true"],
      },
    ]);
  });

  test.each(EVENT_TYPES)("%s: title, priority, tags, click and an Open action", (type) => {
    const req = webhookRequest("ntfy", message(type, { escalated_after_minutes: 15 }), opts);
    const h = req.headers;
    const link = `https://nexus.example${data.path}`;
    expect(Number(h.Priority)).toBeGreaterThanOrEqual(1);
    expect(Number(h.Priority)).toBeLessThanOrEqual(5);
    expect(h.Tags).toMatch(/^[a-z_]+(,[a-z_]+)*$/);
    expect(h.Click).toBe(link);
    expect(parseNtfyActions(h.Actions!)).toEqual([
      { action: "view", label: "Open", url: link, params: ["clear=true"] },
    ]);
    // every header value is a valid HTTP header value (Node refuses others)
    for (const v of Object.values(h)) expect(v).toMatch(/^[\x20-\x7e]*$/);
    expect(decode2047(h.Title!)).toContain("src/ünïcode/<b>.ts");
    expect(req.body).toContain(data.id);
    if (type === "request.escalated") expect(h.Priority).toBe("5");
  });

  test("ASCII stays as it is; anything else is RFC 2047", () => {
    expect(ntfyHeaderValue("plain title")).toBe("plain title");
    expect(ntfyHeaderValue("line\nbreak")).toBe("line break");
    expect(decode2047(ntfyHeaderValue("Ünïcode 🚀"))).toBe("Ünïcode 🚀");
  });
});

describe("webhook input", () => {
  const ok = { url: "https://example.com/hook", events: "request.created,request.decided" };
  const error = (input: Record<string, unknown>) => {
    const r = webhookInputSchema.safeParse(input);
    return r.success
      ? null
      : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ");
  };
  test("accepts a good one; format defaults to standard", () => {
    const r = webhookInputSchema.parse(ok);
    expect(r).toMatchObject({
      format: "standard",
      events: ["request.created", "request.decided"],
      kind: null,
      agent_id: null,
      secret: null,
    });
  });
  test.each([
    [{ ...ok, url: "ftp://example.com" }, /url: URL must start with http:\/\/ or https:\/\//],
    [{ ...ok, url: "javascript:alert(1)" }, /url: URL must start with http/],
    [{ ...ok, url: "example.com/hook" }, /url: URL must be an absolute/],
    [{ ...ok, url: "https://user:pw@example.com/" }, /url: URL must not carry a user name/],
    [
      { ...ok, events: "request.created,request.deleted" },
      /events: Unknown event "request.deleted"/,
    ],
    [{ ...ok, events: "" }, /events: Choose at least one event/],
    [{ ...ok, format: "teams" }, /format: Unknown format "teams"/],
    [{ ...ok, kind: "pull_request" }, /kind: Unknown kind "pull_request"/],
    [{ ...ok, secret: "whsec_c2hvcnQ=" }, /secret: Secret is too short/],
    [{ ...ok, secret: "hunter2hunter2hunter2hunter2" }, /secret: Secret must look like whsec_/],
  ])("rejects %j", (input, message) => {
    expect(error(input)).toMatch(message);
  });
  test("a generated secret is valid input", () => {
    expect(error({ ...ok, secret: newWebhookSecret() })).toBeNull();
  });
});
