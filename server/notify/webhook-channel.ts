import "server-only";
import type { AttemptOutcome } from "@/db/queries/outbox";
import {
  getWebhook,
  markWebhookFailing,
  markWebhookHealthy,
  WEBHOOK_CHANNEL,
  webhookTargets,
} from "@/db/queries/webhooks";
import type { WebhookRow } from "@/db/schema";
import type { EventData, WebhookFormat } from "@/lib/notify/events";
import { webhookRequest, type OutgoingMessage } from "@/lib/notify/webhook-format";
import { log } from "@/lib/log";
import type { Channel } from "./channels";

/** Longest part of a failed response kept for the admin to read. */
const SNIPPET_CHARS = 200;

async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < SNIPPET_CHARS) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, SNIPPET_CHARS);
}

/** Retry-After (seconds or an HTTP date) in ms, or null. */
function retryAfterMs(res: Response): number | null {
  const v = res.headers.get("retry-after");
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function describe(err: unknown, timeoutMs: number, signal: AbortSignal): string {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === "TimeoutError")
    return `no answer within ${timeoutMs / 1000} s (timed out)`;
  if (signal.aborted) return "attempt cancelled (Nexus stopping)";
  const e = err as { cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * POST one message to a webhook: `timeoutMs` bounds the whole attempt (connect, headers,
 * the start of the body), redirects are not followed (a 3xx is a failure to fix).
 */
export async function sendWebhook(
  hook: Pick<WebhookRow, "url" | "format" | "secret">,
  message: OutgoingMessage,
  opts: { baseUrl: string; timeoutMs: number; signal?: AbortSignal },
): Promise<AttemptOutcome> {
  const req = webhookRequest(hook.format as WebhookFormat, message, {
    baseUrl: opts.baseUrl,
    secret: hook.secret,
    now: new Date(),
  });
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const started = performance.now();
  try {
    const res = await fetch(hook.url, {
      method: "POST",
      headers: { "user-agent": "Nexus-Webhooks/1", ...req.headers },
      body: req.body,
      redirect: "manual",
      signal,
    });
    const ok = res.status >= 200 && res.status < 300;
    const snippet = ok ? "" : await readSnippet(res).catch(() => "");
    if (ok) await res.body?.cancel().catch(() => {});
    return {
      ok,
      statusCode: res.status,
      latencyMs: performance.now() - started,
      error: ok ? null : `HTTP ${res.status}${snippet ? `: ${snippet.replace(/\s+/g, " ")}` : ""}`,
      retryAfterMs: ok ? null : retryAfterMs(res),
    };
  } catch (err) {
    const timedOut = timeout.aborted;
    return {
      ok: false,
      statusCode: null,
      latencyMs: performance.now() - started,
      error: timedOut
        ? `no answer within ${opts.timeoutMs / 1000} s (timed out)`
        : describe(err, opts.timeoutMs, signal),
    };
  }
}

/*
 * Webhook rows read for a burst of deliveries, kept for a second: under load a submit's
 * three deliveries would otherwise read the same rows again and again. A webhook removed
 * or disabled is noticed within that second.
 */
const CACHE_MS = 1000;
const cache = new Map<string, { row: WebhookRow | null; at: number }>();

async function webhookRow(id: string): Promise<WebhookRow | null> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.row;
  const row = await getWebhook(id);
  if (cache.size > 1000) cache.clear();
  cache.set(id, { row, at: Date.now() });
  return row;
}

export const webhookChannel: Channel = {
  name: WEBHOOK_CHANNEL,
  targets: webhookTargets,
  async deliver({ delivery, event }, ctx) {
    const hook = await webhookRow(delivery.target);
    if (!hook || hook.disabledAt)
      return {
        ok: false,
        final: true,
        statusCode: null,
        latencyMs: 0,
        error: hook ? "webhook disabled" : "webhook removed",
      };
    const outcome = await sendWebhook(
      hook,
      {
        type: event.type,
        data: event.payload as EventData,
        messageId: `msg_${delivery.id}`,
        occurredAt: event.createdAt,
      },
      { baseUrl: ctx.baseUrl, timeoutMs: ctx.timeoutMs, signal: ctx.signal },
    );
    if (ctx.signal.aborted && !outcome.ok) return outcome; // stopping: not the receiver's fault
    try {
      if (outcome.ok) {
        // a failure run another process began is ended by the first success here after
        // the cached row expires (a second)
        if (hook.failingSince) {
          await markWebhookHealthy(hook.id);
          cache.delete(hook.id);
        }
      } else if (await markWebhookFailing(hook.id, ctx.disableAfterMs, outcome.error ?? "failed"))
        log().warn({ webhook: hook.id, url: hook.url, error: outcome.error }, "webhook disabled");
      if (!outcome.ok) cache.delete(hook.id); // its failing_since changed
    } catch (err) {
      log().warn({ err: String(err) }, "webhooks: could not record the webhook's health");
    }
    return outcome;
  },
};
