import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { clearEscalation, setEscalation } from "@/db/queries/escalation";
import { createWebhook, getWebhook } from "@/db/queries/webhooks";
import type { AttemptOutcome } from "@/db/queries/outbox";
import type { WebhookRow } from "@/db/schema";
import { invalid } from "@/server/api/errors";
import { apiKeyAgentSchema } from "@/server/auth/api-keys";
import { publicUrl } from "@/lib/env";
import { escalationMinutesSchema, webhookInputSchema, type EventData } from "@/lib/notify/events";
import { newWebhookSecret } from "@/lib/notify/webhook-format";
import { sendWebhook } from "./webhook-channel";
import { workerOptionsFromEnv } from "./start";

/*
 * What an admin does with webhooks and escalation, for every door (Settings, the CLI):
 * input validated here by the same schemas, errors as one message per field.
 */

/** Add a webhook; the secret (given or generated) is returned once and shown once. */
export async function addWebhook(
  raw: Record<string, unknown>,
  by: string | null,
): Promise<{ row: WebhookRow; secret: string }> {
  const parsed = webhookInputSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, "The webhook is invalid.");
  const input = parsed.data;
  const secret = input.secret ?? newWebhookSecret();
  const row = await createWebhook({
    url: input.url,
    format: input.format,
    events: input.events,
    agentId: input.agent_id,
    kind: input.kind,
    secret,
    createdBy: by,
  });
  return { row, secret };
}

/** A sample request for `webhook test` (not stored: no request has this id). */
function sampleData(): EventData {
  const id = randomUUID();
  return {
    id,
    kind: "approval",
    agent_id: "nexus-test",
    status: "pending",
    path: `/approvals/${id}`,
    created_at: new Date().toISOString(),
    expires_at: null,
    summary: { file_path: "src/example.ts", description: "A test message from Nexus" },
    decision: null,
  };
}

/** Send a `webhook.test` message to a webhook now and say how it went (not retried). */
export async function testWebhook(id: string): Promise<AttemptOutcome | null> {
  const hook = await getWebhook(id);
  if (!hook) return null;
  const opts = workerOptionsFromEnv();
  return sendWebhook(
    hook,
    {
      type: "webhook.test",
      data: sampleData(),
      messageId: `msg_test_${randomUUID()}`,
      occurredAt: new Date(),
    },
    { baseUrl: publicUrl(), timeoutMs: opts.timeoutMs },
  );
}

const escalationInput = z.object({
  minutes: escalationMinutesSchema,
  agent_id: apiKeyAgentSchema,
});

/** Set (minutes ≥ 0) the escalation threshold, globally or for one agent. */
export async function saveEscalation(
  raw: { minutes: unknown; agent_id?: string | undefined },
  by: string | null,
): Promise<{ agentId: string | null; minutes: number }> {
  const parsed = escalationInput.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, "The escalation setting is invalid.");
  await setEscalation(parsed.data.agent_id, parsed.data.minutes, by);
  return { agentId: parsed.data.agent_id, minutes: parsed.data.minutes };
}

export { clearEscalation };
