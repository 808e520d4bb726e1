/*
 * The emails Nexus sends (server/email/channel.ts): one per new request, a digest of
 * several, an escalation. Plain text first, with a simple HTML twin: inline styles
 * only, no images or other external assets, every text escaped. Pure: no I/O.
 */

/** What an email needs of an outbox event (lib/notify/events.ts EventData). */
export interface MailEvent {
  type: string;
  data: {
    id: string;
    kind: string;
    agent_id: string;
    path: string;
    created_at: string | null;
    summary: Record<string, unknown>;
    escalated_after_minutes?: number;
  };
}

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

const LABELS: Record<string, string> = { approval: "Approval", question: "Question" };
const label = (kind: string) => LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);

/** One line for subjects: control characters (header injection) and runs of space folded. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").replace(/\s+/g, " ");
  const chars = [...flat.trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The texts of an event's summary, in order (approval: file, description; question: the question). */
function texts(event: MailEvent): string[] {
  return Object.values(event.data.summary).filter(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  );
}

export const linkOf = (baseUrl: string, event: MailEvent) =>
  `${baseUrl.replace(/\/+$/, "")}${event.data.path}`;

function item(event: MailEvent, baseUrl: string) {
  const [head = event.data.id, ...rest] = texts(event);
  return {
    title: `${label(event.data.kind)} from ${event.data.agent_id}`,
    head,
    rest,
    link: linkOf(baseUrl, event),
  };
}

const FOOTER = "You get these emails because you chose them in Nexus (Settings → Account → Email).";

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="margin:0;padding:16px;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#18181b;background:#ffffff">${body}<p style="margin-top:24px;font-size:12px;color:#52525b">${escapeHtml(FOOTER)}</p></body></html>`;
}

function htmlItem(it: ReturnType<typeof item>): string {
  return `<div style="margin:0 0 16px;padding:12px;border:1px solid #e4e4e7;border-radius:8px"><p style="margin:0 0 4px;font-size:13px;color:#52525b">${escapeHtml(it.title)}</p><p style="margin:0 0 8px;font-family:ui-monospace,Menlo,monospace;font-size:14px;word-break:break-word">${escapeHtml(it.head)}</p>${it.rest.map((r) => `<p style="margin:0 0 8px;white-space:pre-wrap">${escapeHtml(r)}</p>`).join("")}<a href="${escapeHtml(it.link)}" style="display:inline-block;padding:8px 14px;border-radius:6px;background:#18181b;color:#ffffff;text-decoration:none">Open in Nexus</a></div>`;
}

const textItem = (it: ReturnType<typeof item>) =>
  [it.title, it.head, ...it.rest, `Open: ${it.link}`].join("\n");

/** The email of one new (or escalated) request. */
export function requestMail(event: MailEvent, baseUrl: string): Mail {
  const it = item(event, baseUrl);
  const escalated = event.type === "request.escalated";
  const minutes = event.data.escalated_after_minutes;
  const lead = escalated
    ? `Still waiting${minutes !== undefined ? ` after ${minutes} minutes` : ""}: an agent is blocked until someone decides.`
    : "An agent is waiting for a reviewer.";
  const subject = oneLine(
    `${escalated ? "[Nexus] Still waiting: " : "[Nexus] "}${it.title}: ${it.head}`,
    140,
  );
  return {
    subject,
    text: `${lead}\n\n${textItem(it)}\n\n--\n${FOOTER}\n`,
    html: htmlPage(subject, `<p style="margin:0 0 12px">${escapeHtml(lead)}</p>${htmlItem(it)}`),
  };
}

/** A digest: several new requests in one email, oldest first. */
export function digestMail(events: MailEvent[], baseUrl: string): Mail {
  const items = events.map((e) => item(e, baseUrl));
  const n = items.length;
  const subject = `[Nexus] ${n} new ${n === 1 ? "request" : "requests"} waiting`;
  const inbox = `${baseUrl.replace(/\/+$/, "")}/`;
  const lead = `${n === 1 ? "A request has" : `${n} requests have`} arrived since the last digest.`;
  return {
    subject,
    text: `${lead}\n\n${items.map(textItem).join("\n\n")}\n\nInbox: ${inbox}\n\n--\n${FOOTER}\n`,
    html: htmlPage(
      subject,
      `<p style="margin:0 0 12px">${escapeHtml(lead)}</p>${items.map(htmlItem).join("")}<p><a href="${escapeHtml(inbox)}" style="color:#1d4ed8">Open the inbox</a></p>`,
    ),
  };
}
