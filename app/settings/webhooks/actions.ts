"use server";

import { revalidatePath } from "next/cache";
import { enableWebhook, redeliver, removeWebhook } from "@/db/queries/webhooks";
import { actorName } from "@/lib/auth/principal";
import type { FormState } from "@/lib/forms";
import { log } from "@/lib/log";
import { formAction, formFields } from "@/server/forms";
import { workerOptionsFromEnv } from "@/server/notify/start";
import { addWebhook, clearEscalation, saveEscalation, testWebhook } from "@/server/notify/webhooks";

const PAGE = "/settings/webhooks";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AddWebhookState extends FormState {
  created?: { id: string; url: string; format: string; secret: string };
}

const ADD_FIELDS = ["url", "events", "format", "agent_id", "kind", "secret"] as const;

const addForm = formAction<AddWebhookState>(
  "admin",
  async (form, principal) => {
    const f = formFields(form, ["url", "format", "agent_id", "kind", "secret"]);
    const events = form.getAll("events").filter((v): v is string => typeof v === "string");
    const { row, secret } = await addWebhook({ ...f, events }, actorName(principal));
    log().info({ webhook: row.id, url: row.url, by: actorName(principal) }, "webhook added");
    revalidatePath(PAGE);
    return { created: { id: row.id, url: row.url, format: row.format, secret } };
  },
  { fields: ADD_FIELDS, echo: ["url", "format", "agent_id", "kind"] },
);

/** Add a webhook (admins); a standard webhook's secret is returned once, shown once. */
export async function addWebhookAction(
  previous: AddWebhookState,
  form: FormData,
): Promise<AddWebhookState> {
  return addForm(previous, form);
}

/** The id field of a row's button; anything else is not a webhook or delivery. */
const idOf = (form: FormData) => {
  const { id } = formFields(form, ["id"]);
  return UUID.test(id) ? id : null;
};

const removeForm = formAction<FormState>("admin", async (form, principal) => {
  const id = idOf(form);
  if (!id || !(await removeWebhook(id, actorName(principal))))
    return { message: "No such webhook." };
  log().info({ webhook: id, by: actorName(principal) }, "webhook removed");
  revalidatePath(PAGE);
  return { ok: true, message: "Webhook removed." };
});
export async function removeWebhookAction(previous: FormState, form: FormData) {
  return removeForm(previous, form);
}

const testForm = formAction<FormState>("admin", async (form) => {
  const id = idOf(form);
  const outcome = id ? await testWebhook(id) : null;
  if (!outcome) return { message: "No such webhook." };
  const ms = Math.round(outcome.latencyMs);
  return outcome.ok
    ? { ok: true, message: `Test delivered: HTTP ${outcome.statusCode} in ${ms} ms.` }
    : { message: `Test failed after ${ms} ms: ${outcome.error}` };
});
export async function testWebhookAction(previous: FormState, form: FormData) {
  return testForm(previous, form);
}

const enableForm = formAction<FormState>("admin", async (form, principal) => {
  const id = idOf(form);
  if (!id || !(await enableWebhook(id, actorName(principal))))
    return { message: "No such webhook." };
  log().info({ webhook: id, by: actorName(principal) }, "webhook enabled");
  revalidatePath(PAGE);
  return { ok: true, message: "Enabled: new events are delivered again." };
});
export async function enableWebhookAction(previous: FormState, form: FormData) {
  return enableForm(previous, form);
}

const redeliverForm = formAction<FormState>("admin", async (form) => {
  const id = idOf(form);
  if (!id || !(await redeliver(id, workerOptionsFromEnv().giveUpAfterMs)))
    return { message: "It cannot be redelivered now (being sent, or gone)." };
  revalidatePath(PAGE);
  return { ok: true, message: "Queued again." };
});
export async function redeliverAction(previous: FormState, form: FormData) {
  return redeliverForm(previous, form);
}

const escalationForm = formAction<FormState>(
  "admin",
  async (form, principal) => {
    const f = formFields(form, ["minutes", "agent_id"]);
    const saved = await saveEscalation(
      { minutes: f.minutes, agent_id: f.agent_id || undefined },
      actorName(principal),
    );
    revalidatePath(PAGE);
    const who = saved.agentId ? `agent “${saved.agentId}”` : "all agents";
    return {
      ok: true,
      message:
        saved.minutes === 0
          ? `Escalation off for ${who}.`
          : `Requests of ${who} escalate after ${saved.minutes} minutes pending.`,
    };
  },
  { fields: ["minutes", "agent_id"], echo: ["minutes", "agent_id"] },
);
export async function saveEscalationAction(previous: FormState, form: FormData) {
  return escalationForm(previous, form);
}

const clearEscalationForm = formAction<FormState>("admin", async (form, principal) => {
  const { agent_id } = formFields(form, ["agent_id"]);
  await clearEscalation(agent_id || null, actorName(principal));
  revalidatePath(PAGE);
  return { ok: true, message: "Setting removed." };
});
export async function clearEscalationAction(previous: FormState, form: FormData) {
  return clearEscalationForm(previous, form);
}
