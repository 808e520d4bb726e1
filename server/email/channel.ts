import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import {
  digestBatch,
  EMAIL_CHANNEL,
  emailTargets,
  markDigested,
  recipient,
} from "@/db/queries/email";
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
 *   `digest:<user id>`  the oldest request waiting for a reviewer's digest sends it once
 *                       it has waited the digest interval, listing every waiting request,
 *                       and marks the others delivered; a failed send leaves all pending
 */

/** how long after the digest's send time the requests it listed look again (then: sent) */
const DIGEST_FOLLOW_MS = 30_000;

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
        // a digest: the oldest waiting request sends it, for all, once it has waited the
        // interval; the others wait for it (no transaction is held while mail is sent)
        const batch = await digestBatch(delivery.target);
        const first = batch[0];
        if (!batch.some((b) => b.id === delivery.id)) return outcome(started, null); // sent
        const dueAt = (first?.event ?? event).createdAt.getTime() + who.digestMinutes * 60_000;
        const wait = who.mode === "digest" ? Math.max(0, dueAt - now()) : 0;
        if (first && first.id !== delivery.id)
          return outcome(started, "waiting for the digest", {
            retryAfterMs: wait + DIGEST_FOLLOW_MS,
          });
        if (wait > 0) return outcome(started, "waiting for the digest", { retryAfterMs: wait });
        await send(
          who.email,
          digestMail(
            batch.map((b) => mailEvent(b.event)),
            ctx.baseUrl,
          ),
          ctx.timeoutMs,
        );
        await markDigested(batch.filter((b) => b.id !== delivery.id).map((b) => b.id));
        return outcome(started, null);
      } catch (err) {
        return outcome(started, describe(err));
      }
    },
  };
}
