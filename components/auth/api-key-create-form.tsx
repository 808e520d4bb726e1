"use client";

import { useActionState, useRef, useState } from "react";
import { createApiKeyAction, type CreateKeyState } from "@/app/settings/api-keys/actions";
import { MAX_AGENT_ID } from "@/lib/api/limits";
import { buttonClass, Field, FormMessage, secondaryButtonClass } from "./field";

function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Not a secure context (plain http on another host): select the text instead.
      const el = document.getElementById("new-api-key") as HTMLInputElement | null;
      el?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  }
  return (
    <button type="button" onClick={copy} className={secondaryButtonClass}>
      {copied ? "Copied" : "Copy key"}
    </button>
  );
}

export function ApiKeyCreateForm() {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const e = state.errors ?? {};
  return (
    <div className="space-y-4">
      {state.created ? (
        <div
          role="status"
          className="space-y-2 rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm font-medium">
            Key “{state.created.name}” ({state.created.role}
            {state.created.agentId ? `, only for agent_id “${state.created.agentId}”` : ""})
            created. Copy it now: it is shown only once and cannot be retrieved later.
          </p>
          <div className="flex gap-2">
            <label htmlFor="new-api-key" className="sr-only">
              New API key
            </label>
            <input
              id="new-api-key"
              readOnly
              value={state.created.key}
              onFocus={(ev) => ev.currentTarget.select()}
              className="min-w-0 flex-1 rounded border border-zinc-300 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            <CopyButton value={state.created.key} />
          </div>
        </div>
      ) : null}
      <form ref={formRef} action={action} className="flex flex-wrap items-end gap-3">
        {state.message ? <FormMessage kind="error">{state.message}</FormMessage> : null}
        <div className="min-w-56 flex-1">
          <Field
            id="name"
            label="Name"
            required
            maxLength={100}
            defaultValue={state.values?.name}
            error={e.name}
            placeholder="ci-agent"
          />
        </div>
        <div className="min-w-48 flex-1">
          <Field
            id="agent_id"
            label="Agent id (optional)"
            maxLength={MAX_AGENT_ID}
            defaultValue={state.values?.agent_id}
            error={e.agent_id}
            hint="Set it to let this key submit only as that agent_id."
            placeholder="any agent"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="role" className="block text-sm font-medium">
            Role
          </label>
          <select
            id="role"
            name="role"
            defaultValue={state.values?.role || "agent"}
            aria-invalid={e.role ? true : undefined}
            className="rounded border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="agent">agent: submit and read</option>
            <option value="reviewer">reviewer: also decide</option>
            <option value="monitor">monitor: status and Prometheus only</option>
          </select>
          {e.role ? <p className="text-sm text-red-700 dark:text-red-400">{e.role}</p> : null}
        </div>
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>
    </div>
  );
}
