"use client";

import { useActionState, useId, useRef, useState } from "react";
import { createApiKeyAction, type CreateKeyState } from "@/app/settings/api-keys/actions";
import { agentSnippets, type Snippet } from "@/lib/agents/snippets";
import { MAX_AGENT_ID } from "@/lib/api/limits";
import { buttonClass, Field, FormMessage, secondaryButtonClass } from "@/components/auth/field";

/*
 * Settings → Connect an agent: the snippets of lib/agents/snippets.ts in tabs, with a
 * form that creates an agent key through the API keys page's own action and pastes the
 * new key (shown once) into every snippet.
 */

function CopyButton({ snippet, targetId }: { snippet: Snippet; targetId: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet.text);
    } catch {
      // no clipboard API (plain http on another host): select the text for Ctrl+C
      const el = document.getElementById(targetId);
      if (el) window.getSelection()?.selectAllChildren(el);
      document.execCommand("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <button
      type="button"
      onClick={copy}
      className={secondaryButtonClass}
      aria-label={`Copy ${snippet.title}`}
    >
      <span aria-live="polite">{copied ? "Copied" : "Copy"}</span>
    </button>
  );
}

function SnippetBlock({ snippet }: { snippet: Snippet }) {
  const id = `snippet-${snippet.id}`;
  return (
    <figure className="space-y-1">
      <div className="flex items-end justify-between gap-2">
        <figcaption className="min-w-0 text-sm">
          <span className="font-medium">{snippet.title}</span>
          {snippet.file ? (
            <span className="ml-2 font-mono text-xs break-all text-zinc-500">{snippet.file}</span>
          ) : null}
        </figcaption>
        <CopyButton snippet={snippet} targetId={id} />
      </div>
      <pre
        id={id}
        data-snippet={snippet.id}
        data-lang={snippet.lang}
        tabIndex={0}
        aria-label={snippet.title}
        className="overflow-x-auto rounded border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed dark:border-zinc-800 dark:bg-zinc-950"
      >
        <code>{snippet.text}</code>
      </pre>
    </figure>
  );
}

function CreateKeyForm({
  state,
  action,
  pending,
}: {
  state: CreateKeyState;
  action: (form: FormData) => void;
  pending: boolean;
}) {
  const e = state.errors ?? {};
  return (
    <form
      action={action}
      aria-label="Create a key for this agent"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      {state.message ? <FormMessage kind="error">{state.message}</FormMessage> : null}
      <input type="hidden" name="role" value="agent" />
      <div className="min-w-48 flex-1">
        <Field
          id="name"
          label="Key name"
          required
          maxLength={100}
          defaultValue={state.values?.name}
          error={e.name}
          placeholder="claude-code-laptop"
        />
      </div>
      <div className="min-w-48 flex-1">
        <Field
          id="agent_id"
          label="Agent id (optional)"
          maxLength={MAX_AGENT_ID}
          defaultValue={state.values?.agent_id}
          error={e.agent_id}
          hint="Binds the key: it may submit only as this agent_id."
          placeholder="any agent"
        />
      </div>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Creating…" : "Create a key for this agent"}
      </button>
    </form>
  );
}

export function ConnectAgent({
  baseUrl,
  canCreateKey,
}: {
  baseUrl: string;
  canCreateKey: boolean;
}) {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {});
  const created = state.created ?? null;
  const sections = agentSnippets({ baseUrl, key: created?.key, agentId: created?.agentId });
  const [selected, setSelected] = useState(sections[0]!.id);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();

  function onKeyDown(ev: React.KeyboardEvent, index: number) {
    const last = sections.length - 1;
    const to =
      ev.key === "ArrowRight"
        ? index === last
          ? 0
          : index + 1
        : ev.key === "ArrowLeft"
          ? index === 0
            ? last
            : index - 1
          : ev.key === "Home"
            ? 0
            : ev.key === "End"
              ? last
              : null;
    if (to === null) return;
    ev.preventDefault();
    setSelected(sections[to]!.id);
    tabs.current[to]?.focus();
  }

  return (
    <div className="space-y-6">
      {canCreateKey ? (
        <CreateKeyForm state={state} action={action} pending={pending} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          An admin can create a key here (or in Settings → API keys). The snippets show{" "}
          <code className="font-mono">YOUR_NEXUS_API_KEY</code> where it goes.
        </p>
      )}
      {created ? (
        <div
          role="status"
          className="rounded border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="font-medium">
            Key “{created.name}” (agent
            {created.agentId ? `, only for agent_id “${created.agentId}”` : ""}) created and pasted
            into every snippet below. Copy what you need now: the key is shown only once.
          </p>
          <p className="mt-1 font-mono break-all" data-testid="created-key">
            {created.key}
          </p>
        </div>
      ) : null}

      <div>
        <div
          role="tablist"
          aria-label="Ways to connect"
          className="flex flex-wrap gap-1 border-b border-zinc-200 pb-2 dark:border-zinc-800"
        >
          {sections.map((s, i) => (
            <button
              key={s.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${s.id}`}
              aria-selected={selected === s.id}
              aria-controls={`${base}-panel-${s.id}`}
              tabIndex={selected === s.id ? 0 : -1}
              onClick={() => setSelected(s.id)}
              onKeyDown={(ev) => onKeyDown(ev, i)}
              className={`rounded px-3 py-1.5 text-sm ${selected === s.id ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
            >
              {s.title}
            </button>
          ))}
        </div>
        {sections.map((s) => (
          <div
            key={s.id}
            role="tabpanel"
            id={`${base}-panel-${s.id}`}
            aria-labelledby={`${base}-tab-${s.id}`}
            hidden={selected !== s.id}
            className="space-y-4 pt-4"
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{s.intro}</p>
            {s.snippets.map((snippet) => (
              <SnippetBlock key={snippet.id} snippet={snippet} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
