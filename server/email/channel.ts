import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { EMAIL_CHANNEL, emailTargets, recipient, sendDigest } from "@/db/queries/email";
import type { AttemptOutcome } from "@/db/queries/outbox";
import type { OutboxEventRow } from "@/db/schema";
import { parseTarget } from "@/lib/email/preferences";
import { digestMail, requestMail, type Mail, type MailEvent } from "@/lib/email/render";
import type { Channel } from "@/server/notify/channels";

/*
 * Email as a channel of the outbox (server/notify/*): the outbox fans each event out to
 * one delivery per recipient (db/queries/email.ts emailTargets) and its worker claims,
 * retries with backoff and gives up exactly as for webhooks. An SMTP server that is
 * down or refuses a message leaves the delivery pending; it is sent on a later attempt.
 *
 *   `<user id>`         one email now (a new request for `each`, any escalation)
 *   `digest:<user id>`  due when the request has waited the reviewer's digest interval;
 *                       then one email lists every request waiting for that digest
 */

export interface EmailChannelOptions {
  smtpUrl: string;
  from: string;
  /** a transport of one's own (tests); default nodemailer's SMTP transport */
  transport?: Transporter;
  now?: () => number;
}

const mailEvent = (e: OutboxEventRow): MailEvent => ({
  type: e.type,
  data: e.payload as MailEvent["data"],
});

function outcome(started: number, error: string | null, extra: Partial<AttemptOutcome> = {}) {
  return {
    ok: error === null,
    statusCode: null,
    latencyMs: performance.now() - started,
    error,
    ...extra,
  } satisfies AttemptOutcome;
}

/** "user@example.com" of an SMTP error, without the password of a URL. */
function describe(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const text = [e.code, e.responseCode, e.message].filter(Boolean).join(" ");
  return (text || String(err)).replace(/\/\/[^@/]*@/g, "//…@");
}

export function emailChannel(opts: EmailChannelOptions): Channel {
  let transport = opts.transport;
  const now = opts.now ?? Date.now;

  const send = async (to: string, mail: Mail, timeoutMs: number) => {
    transport ??= nodemailer.createTransport({
      url: opts.smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    await transport.sendMail({ from: opts.from, to, ...mail });
  };

  return {
    name: EMAIL_CHANNEL,
    targets: emailTargets,
    async deliver({ delivery, event }, ctx) {
      const started = performance.now();
      const { userId, digest } = parseTarget(delivery.target);
      const who = await recipient(userId);
      if (!who?.wants)
        return outcome(started, "the reviewer no longer receives email", { final: true });
      try {
        if (!digest) {
          await send(who.email, requestMail(mailEvent(event), ctx.baseUrl), ctx.timeoutMs);
          return outcome(started, null);
        }
        // a digest: wait until this request has waited the interval, then send all
        const dueAt = event.createdAt.getTime() + who.digestMinutes * 60_000;
        if (who.mode === "digest" && dueAt > now())
          return outcome(started, "waiting for the digest", { retryAfterMs: dueAt - now() });
        await sendDigest(delivery.target, delivery.id, async (events) => {
          await send(who.email, digestMail(events.map(mailEvent), ctx.baseUrl), ctx.timeoutMs);
        });
        return outcome(started, null);
      } catch (err) {
        return outcome(started, describe(err));
      }
    },
  };
}
