"use client";

import { useActionState, useState } from "react";
import {
  dryRunAction,
  saveRuleAction,
  type DryRunView,
  type RuleFormState,
} from "@/app/settings/rules/actions";
import { buttonClass, FormMessage, secondaryButtonClass } from "@/components/auth/field";

/**
 * The rule's one JSON form, edited as text: Save (add, or replace `replacing`) and Dry
 * run. Problems are listed under the text, each naming its field; the text is kept as
 * typed (it is this component's state, not the form's), whatever the outcome.
 */
export function RuleEditor({
  initial,
  replacing,
  idPrefix = "rule",
}: {
  initial: string;
  replacing?: string | null;
  idPrefix?: string;
}) {
  const [text, setText] = useState(initial);
  const [saved, save, saving] = useActionState<RuleFormState, FormData>(saveRuleAction, {});
  const [tried, tryIt, trying] = useActionState<RuleFormState, FormData>(dryRunAction, {});
  const id = `${idPrefix}-json`;
  // the problems of whichever button was pressed last
  const [last, setLast] = useState<"save" | "try">("save");
  const issues = (last === "save" ? saved : tried).issues ?? [];
  return (
    <form action={save} className="space-y-3">
      {replacing ? <input type="hidden" name="replacing" value={replacing} /> : null}
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          {replacing ? `Rule "${replacing}" (JSON)` : "New rule (JSON)"}
        </label>
        <textarea
          id={id}
          name="json"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={Math.min(16, Math.max(6, text.split("\n").length + 1))}
          spellCheck={false}
          aria-invalid={issues.length ? true : undefined}
          aria-describedby={`${id}-hint${issues.length ? ` ${id}-error` : ""}`}
          className="w-full rounded border border-zinc-300 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-600"
        />
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {
            '{"name", "match": {kind, agent_id, key, tool, paths, command, question, max_lines, max_files}, "action", "expire_after_s", "on_expiry", "escalate_after_s"}'
          }{" "}
          — see docs/rules.md.
        </p>
        {issues.length ? (
          <ul
            id={`${id}-error`}
            className="list-disc space-y-0.5 pl-5 text-sm text-red-700 dark:text-red-400"
          >
            {issues.map((i, n) => (
              <li key={n}>
                {i.path ? <code className="font-mono">{i.path}</code> : null}
                {i.path ? ": " : ""}
                {i.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="submit"
          disabled={saving}
          onClick={() => setLast("save")}
          className={`${buttonClass} min-h-11`}
        >
          {saving ? "Saving…" : replacing ? "Save changes" : "Add rule"}
        </button>
        <button
          type="submit"
          formAction={tryIt}
          disabled={trying}
          onClick={() => setLast("try")}
          className={`${secondaryButtonClass} min-h-11`}
        >
          {trying ? "Trying…" : "Dry run (last 30 days)"}
        </button>
      </div>
      {last === "save" && saved.message && !saving ? (
        <FormMessage kind={saved.ok ? "ok" : "error"}>{saved.message}</FormMessage>
      ) : null}
      {last === "try" && tried.message && !trying && !tried.dryRun ? (
        <FormMessage kind="error">{tried.message}</FormMessage>
      ) : null}
      {last === "try" && tried.dryRun && !trying ? <DryRunResult result={tried.dryRun} /> : null}
    </form>
  );
}

export function DryRunResult({ result }: { result: DryRunView }) {
  return (
    <section
      aria-label={`Dry run of ${result.name}`}
      className="rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800"
    >
      <p role="status">
        Would have matched <strong>{result.total}</strong> of the {result.scanned} requests of the
        last {result.days} days{result.truncated ? " (only the newest were read)" : ""}, and would{" "}
        {result.would}.
      </p>
      {result.matches.length ? (
        <ul className="mt-2 max-h-72 space-y-1 overflow-y-auto">
          {result.matches.map((m) => (
            <li key={`${m.kind}:${m.id}`} className="flex flex-wrap gap-x-2 text-xs">
              <span className="tabular-nums text-zinc-500">
                {m.createdAt ? m.createdAt.slice(0, 16).replace("T", " ") : "?"}
              </span>
              <span>{m.kind.replace("_", " ")}</span>
              <span className="font-mono break-all">{m.title}</span>
              <span className="text-zinc-500">
                {m.agentId} · {m.status}
                {m.decidedBy ? ` by ${m.decidedBy}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
