"use client";

import { useActionState } from "react";
import {
  addWebhookAction,
  saveEscalationAction,
  type AddWebhookState,
} from "@/app/settings/webhooks/actions";
import { buttonClass, Field, FormMessage, secondaryButtonClass } from "@/components/auth/field";
import type { FormState } from "@/lib/forms";

/** A one-button form for a row (Test, Redeliver, Enable, Remove) with its outcome. */
export function RowAction({
  action,
  id,
  label,
  busy,
  fieldName = "id",
  confirm,
  ariaLabel,
  danger,
  className = "",
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  id: string;
  label: string;
  busy: string;
  fieldName?: string;
  confirm?: string;
  ariaLabel?: string;
  danger?: boolean;
  /** more classes for the button (e.g. min-w-11 for a one-character label) */
  className?: string;
}) {
  const [state, run, pending] = useActionState<FormState, FormData>(action, {});
  return (
    <form
      action={run}
      className="inline-block"
      onSubmit={(ev) => {
        if (confirm && !window.confirm(confirm)) ev.preventDefault();
      }}
    >
      <input type="hidden" name={fieldName} value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={ariaLabel}
        className={`${secondaryButtonClass} min-h-11 ${className} ${danger ? "text-red-700 dark:text-red-400" : ""}`}
      >
        {pending ? busy : label}
      </button>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-1 max-w-xs text-xs ${state.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

const selectClass =
  "w-full rounded border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function AddWebhookForm({
  events,
  formats,
  kinds,
}: {
  events: readonly string[];
  formats: readonly { value: string; label: string }[];
  kinds: readonly string[];
}) {
  const [state, action, pending] = useActionState<AddWebhookState, FormData>(addWebhookAction, {});
  const e = state.errors ?? {};
  return (
    <div className="space-y-4">
      {state.created ? (
        <div
          role="status"
          className="space-y-2 rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm font-medium">Webhook added for {state.created.url}.</p>
          {state.created.format === "standard" ? (
            <>
              <p className="text-sm">
                Its signing secret is shown only once: give it to the receiver now (it verifies the{" "}
                <code className="font-mono">webhook-signature</code> header with it).
              </p>
              <label htmlFor="new-webhook-secret" className="sr-only">
                Signing secret
              </label>
              <input
                id="new-webhook-secret"
                readOnly
                value={state.created.secret}
                onFocus={(ev) => ev.currentTarget.select()}
                className="w-full rounded border border-zinc-300 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
              />
            </>
          ) : null}
        </div>
      ) : null}
      <form action={action} className="grid gap-3 sm:grid-cols-2" noValidate>
        {state.message ? (
          <div className="sm:col-span-2">
            <FormMessage kind="error">{state.message}</FormMessage>
          </div>
        ) : null}
        <div className="sm:col-span-2">
          <Field
            id="url"
            label="URL"
            type="url"
            required
            defaultValue={state.values?.url}
            error={e.url}
            placeholder="https://hooks.slack.com/services/… or https://ntfy.sh/my-topic"
          />
        </div>
        <fieldset
          className="space-y-1 sm:col-span-2"
          aria-describedby={e.events ? "events-error" : undefined}
        >
          <legend className="text-sm font-medium">Events</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {events.map((ev) => (
              <label key={ev} className="flex min-h-11 items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="events"
                  value={ev}
                  defaultChecked={ev === "request.created"}
                  className="h-5 w-5"
                />
                <code className="font-mono">{ev}</code>
              </label>
            ))}
          </div>
          {e.events ? (
            <p id="events-error" className="text-sm text-red-700 dark:text-red-400">
              {e.events}
            </p>
          ) : null}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor="format" className="block text-sm font-medium">
            Format
          </label>
          <select
            id="format"
            name="format"
            defaultValue={state.values?.format || "standard"}
            aria-invalid={e.format ? true : undefined}
            className={selectClass}
          >
            {formats.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          {e.format ? <p className="text-sm text-red-700 dark:text-red-400">{e.format}</p> : null}
        </div>
        <div className="space-y-1">
          <label htmlFor="kind" className="block text-sm font-medium">
            Kind of request
          </label>
          <select
            id="kind"
            name="kind"
            defaultValue={state.values?.kind || ""}
            aria-invalid={e.kind ? true : undefined}
            className={selectClass}
          >
            <option value="">any kind</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          {e.kind ? <p className="text-sm text-red-700 dark:text-red-400">{e.kind}</p> : null}
        </div>
        <Field
          id="agent_id"
          label="Agent id (optional)"
          defaultValue={state.values?.agent_id}
          error={e.agent_id}
          placeholder="any agent"
        />
        <Field
          id="secret"
          label="Signing secret (optional, standard format)"
          autoComplete="off"
          error={e.secret}
          hint="Leave empty to generate one (whsec_…, 32 bytes)."
          placeholder="generated"
        />
        <div className="sm:col-span-2">
          <button type="submit" className={`${buttonClass} min-h-11`} disabled={pending}>
            {pending ? "Adding…" : "Add webhook"}
          </button>
        </div>
      </form>
    </div>
  );
}

export function EscalationForm({ globalMinutes }: { globalMinutes: number | null }) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveEscalationAction, {});
  const e = state.errors ?? {};
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
      {state.message ? (
        <div className="w-full">
          <FormMessage kind={state.ok ? "ok" : "error"}>{state.message}</FormMessage>
        </div>
      ) : null}
      <div className="w-40">
        <Field
          id="minutes"
          label="Minutes pending"
          type="number"
          inputMode="numeric"
          min={0}
          required
          defaultValue={state.values?.minutes ?? globalMinutes ?? ""}
          error={e.minutes}
        />
      </div>
      <div className="min-w-48 flex-1">
        <Field
          id="escalation_agent_id"
          name="agent_id"
          label="For agent (optional)"
          defaultValue={state.values?.agent_id}
          error={e.agent_id}
          hint="Empty: the global setting. An agent's own setting overrides it; 0 turns it off."
          placeholder="all agents"
        />
      </div>
      <button type="submit" className={`${buttonClass} min-h-11`} disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
