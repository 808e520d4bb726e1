import "server-only";
import { env, publicUrl } from "@/lib/env";
import { emailChannel } from "@/server/email/channel";
import { registerChannel } from "./channels";
import { webhookChannel } from "./webhook-channel";
import { DEFAULT_WORKER_OPTIONS, startOutboxWorker, type OutboxWorker } from "./worker";

/** The worker's options from the environment (NEXUS_WEBHOOK_*). */
export function workerOptionsFromEnv() {
  const e = env();
  const retryMs = e.NEXUS_WEBHOOK_RETRY_HOURS * 3600_000;
  return {
    ...DEFAULT_WORKER_OPTIONS,
    timeoutMs: e.NEXUS_WEBHOOK_TIMEOUT_SECONDS * 1000,
    giveUpAfterMs: retryMs,
    disableAfterMs: retryMs,
    baseUrl: publicUrl(),
  };
}

const g = globalThis as unknown as { __nexusOutboxWorker?: OutboxWorker };

/**
 * Start this process's outbox worker (once): webhooks, and any channel registered
 * before this runs (email: registerChannel in server/notify/channels.ts).
 */
export function startNotifications(): OutboxWorker {
  registerChannel(webhookChannel);
  const { NEXUS_SMTP_URL, NEXUS_MAIL_FROM } = env();
  // email is the outbox's second channel, only when an SMTP server is configured
  if (NEXUS_SMTP_URL)
    registerChannel(emailChannel({ smtpUrl: NEXUS_SMTP_URL, from: NEXUS_MAIL_FROM }));
  g.__nexusOutboxWorker ??= startOutboxWorker(workerOptionsFromEnv());
  return g.__nexusOutboxWorker;
}

/** Stop the worker on shutdown: in-flight attempts get 3 s; never hold shutdown past 5 s. */
export async function stopNotifications() {
  const worker = g.__nexusOutboxWorker;
  g.__nexusOutboxWorker = undefined;
  if (!worker) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    worker.stop(3000),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000))),
  ]);
  clearTimeout(timer);
}
