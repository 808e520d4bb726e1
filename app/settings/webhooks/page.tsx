import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { UtcTime } from "@/components/auth/utc-time";
import { AddWebhookForm, EscalationForm, RowAction } from "@/components/webhooks/webhook-forms";
import { listEscalationSettings } from "@/db/queries/escalation";
import { listWebhooks, recentDeliveries, webhookBacklog } from "@/db/queries/webhooks";
import { REQUEST_KINDS } from "@/lib/domain/kinds";
import { EVENT_TYPES } from "@/lib/notify/events";
import { requirePagePrincipal } from "@/server/auth/session";
import {
  clearEscalationAction,
  enableWebhookAction,
  redeliverAction,
  removeWebhookAction,
  testWebhookAction,
} from "./actions";

export const metadata = { title: "Webhooks" };

const FORMATS = [
  { value: "standard", label: "Standard Webhooks (signed JSON)" },
  { value: "slack", label: "Slack / Mattermost / Rocket.Chat / Discord (/slack)" },
  { value: "ntfy", label: "ntfy push (topic URL)" },
] as const;

const STATUS_CLASS: Record<string, string> = {
  delivered: "text-emerald-700 dark:text-emerald-400",
  pending: "text-amber-700 dark:text-amber-400",
  failed: "text-red-700 dark:text-red-400",
};

export default async function WebhooksPage() {
  await connection();
  const principal = await requirePagePrincipal("admin");
  const [hooks, escalation, backlog] = await Promise.all([
    listWebhooks(),
    listEscalationSettings(),
    webhookBacklog(),
  ]);
  const deliveries = await Promise.all(hooks.map((h) => recentDeliveries(h.id, 10)));
  const globalEscalation = escalation.find((s) => s.agentId === null) ?? null;
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />

      <h2 className="mb-1 text-lg font-semibold">Webhooks</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        Nexus posts to these URLs when requests are created, decided, expire or escalate. Delivery
        is retried with backoff for 24 hours; a webhook that fails for a day is disabled. Pending
        deliveries: {backlog.pending}
        {backlog.retrying ? ` (${backlog.retrying} retrying)` : ""}.
      </p>
      <div className="mb-8">
        <AddWebhookForm events={EVENT_TYPES} formats={FORMATS} kinds={REQUEST_KINDS} />
      </div>

      {hooks.length === 0 ? (
        <p className="mb-8 rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No webhooks yet. Add one above, or with{" "}
          <code className="font-mono">
            npm run nexus -- webhook add --url URL --events request.created
          </code>
          .
        </p>
      ) : (
        <ul className="mb-8 space-y-6" aria-label="Webhooks">
          {hooks.map((h, i) => (
            <li
              key={h.id}
              className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h3 className="font-mono text-sm font-medium break-all">{h.url}</h3>
                  <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                    {h.format} · {h.events.join(", ")} · agent {h.agentId ?? "any"} · kind{" "}
                    {h.kind ?? "any"} · added <UtcTime value={h.createdAt} />
                    {h.createdBy ? ` by ${h.createdBy}` : ""}
                  </p>
                  {h.disabledAt ? (
                    <p role="note" className="mt-2 text-sm text-red-700 dark:text-red-400">
                      <strong>Disabled</strong> <UtcTime value={h.disabledAt} />: {h.disabledReason}
                    </p>
                  ) : h.failingSince ? (
                    <p className="mt-2 text-sm text-amber-700 dark:text-amber-400">
                      Failing since <UtcTime value={h.failingSince} />; disabled after a day of
                      failures.
                    </p>
                  ) : (
                    <p className="mt-2 text-sm text-emerald-700 dark:text-emerald-400">Active</p>
                  )}
                </div>
                <div className="flex flex-wrap gap-2">
                  <RowAction
                    action={testWebhookAction}
                    id={h.id}
                    label="Send test"
                    busy="Sending…"
                    ariaLabel={`Send a test message to ${h.url}`}
                  />
                  {h.disabledAt ? (
                    <RowAction
                      action={enableWebhookAction}
                      id={h.id}
                      label="Enable"
                      busy="Enabling…"
                      ariaLabel={`Enable the webhook ${h.url}`}
                    />
                  ) : null}
                  <RowAction
                    action={removeWebhookAction}
                    id={h.id}
                    label="Remove"
                    busy="Removing…"
                    danger
                    confirm={`Remove the webhook ${h.url}? Its delivery history goes too.`}
                    ariaLabel={`Remove the webhook ${h.url}`}
                  />
                </div>
              </div>
              <div className="mt-4 overflow-x-auto">
                {deliveries[i]!.length === 0 ? (
                  <p className="text-sm text-zinc-500">No deliveries yet.</p>
                ) : (
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">Recent deliveries to {h.url}</caption>
                    <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
                      <tr>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Event
                        </th>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Status
                        </th>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Response
                        </th>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Latency
                        </th>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Last attempt
                        </th>
                        <th scope="col" className="py-1 pr-3 font-medium">
                          Next retry
                        </th>
                        <th scope="col" className="py-1 font-medium">
                          <span className="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                      {deliveries[i]!.map((d) => (
                        <tr key={d.id}>
                          <td className="py-1 pr-3">
                            <code className="font-mono text-xs">{d.eventType}</code>{" "}
                            <span className="text-xs text-zinc-500">
                              {d.requestType} {d.requestId.slice(0, 8)}
                            </span>
                          </td>
                          <td className={`py-1 pr-3 ${STATUS_CLASS[d.status] ?? ""}`}>
                            {d.status}
                            {d.attempts > 1 ? ` (${d.attempts} attempts)` : ""}
                          </td>
                          <td className="py-1 pr-3">
                            {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—"}
                            {d.lastError ? (
                              <span
                                className="block max-w-xs truncate text-xs text-zinc-500"
                                title={d.lastError}
                              >
                                {d.lastError}
                              </span>
                            ) : null}
                          </td>
                          <td className="py-1 pr-3">
                            {d.lastLatencyMs !== null ? `${d.lastLatencyMs} ms` : "—"}
                          </td>
                          <td className="py-1 pr-3">
                            <UtcTime value={d.lastAttemptAt} empty="not yet" />
                          </td>
                          <td className="py-1 pr-3">
                            {d.status === "pending" && d.attempts > 0 ? (
                              <UtcTime value={d.nextAttemptAt} />
                            ) : (
                              "—"
                            )}
                          </td>
                          <td className="py-1 text-right">
                            <RowAction
                              action={redeliverAction}
                              id={d.id}
                              label="Redeliver"
                              busy="Queuing…"
                              ariaLabel={`Redeliver ${d.eventType} for ${d.requestType} ${d.requestId}`}
                            />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}

      <h2 id="escalation" className="mb-1 text-lg font-semibold">
        Escalation
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        A request still pending after this many minutes fires <code>request.escalated</code> once
        (to the webhooks subscribed to it), is marked in the inbox and counted on the metrics page.
      </p>
      <div className="mb-4">
        <EscalationForm globalMinutes={globalEscalation?.minutes ?? null} />
      </div>
      {escalation.length > 0 ? (
        <ul className="space-y-2 text-sm" aria-label="Escalation settings">
          {escalation.map((s) => (
            <li key={s.agentId ?? ""} className="flex flex-wrap items-center gap-3">
              <span>
                {s.agentId ? (
                  <>
                    Agent <code className="font-mono">{s.agentId}</code>
                  </>
                ) : (
                  "All agents"
                )}
                : {s.minutes === 0 ? "off" : `after ${s.minutes} minutes`}
              </span>
              <RowAction
                action={clearEscalationAction}
                id={s.agentId ?? ""}
                fieldName="agent_id"
                label="Remove"
                busy="Removing…"
                ariaLabel={`Remove the escalation setting for ${s.agentId ?? "all agents"}`}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-zinc-500">No escalation set: requests never escalate.</p>
      )}
    </section>
  );
}
