"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { ConflictNotice } from "./conflict-notice";
import { initialDecisionState, type DecisionFormState } from "./form-state";
import { ShortcutsDialog, useShortcuts, type Shortcut } from "./shortcuts";

type Action = (state: DecisionFormState, formData: FormData) => Promise<DecisionFormState>;

/** The answer to an agent's question; Ctrl/Cmd+Enter sends, `a` focuses the field, `?` help. */
export function AnswerForm({ id, action }: { id: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, initialDecisionState);
  const [answer, setAnswer] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const answerRef = useRef<HTMLTextAreaElement>(null);
  const helpRef = useRef<HTMLDialogElement>(null);
  const error = state.errors?.response?.[0];

  useEffect(() => {
    if (error) answerRef.current?.focus();
  }, [state, error]);

  const shortcuts: Shortcut[] = [
    { key: "a", description: "Focus the answer", run: () => answerRef.current?.focus() },
    { key: "Ctrl+Enter", description: "Send the answer (⌘+Enter on macOS)" },
    { key: "?", description: "Show these shortcuts", run: () => helpRef.current?.showModal() },
  ];
  useShortcuts(shortcuts);

  if (state.conflict) return <ConflictNotice conflict={state.conflict} kind="question" />;

  return (
    <>
      <ShortcutsDialog shortcuts={shortcuts} dialogRef={helpRef} />
      <form ref={formRef} action={formAction} noValidate>
        <input type="hidden" name="id" value={id} />
        <label htmlFor="answer" className="block text-sm font-medium">
          Answer
        </label>
        <textarea
          ref={answerRef}
          id="answer"
          name="response"
          rows={5}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              if (!pending) formRef.current?.requestSubmit();
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "answer-hint answer-error" : "answer-hint"}
          className={`mt-1 w-full rounded-md border bg-white px-3 py-2 text-sm dark:bg-zinc-950 ${error ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
        />
        <p id="answer-hint" className="text-xs text-zinc-600 dark:text-zinc-400">
          The agent receives this text as the answer. Ctrl+Enter (⌘+Enter) sends it.
        </p>
        {error ? (
          <p
            id="answer-error"
            role="alert"
            className="mt-1 text-sm font-medium text-red-700 dark:text-red-400"
          >
            {error}
          </p>
        ) : null}
        {state.message ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            Send answer
          </button>
          <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
            {pending ? "Sending…" : ""}
          </span>
          <button
            type="button"
            onClick={() => helpRef.current?.showModal()}
            className="ml-auto text-xs text-zinc-600 underline-offset-2 hover:underline dark:text-zinc-400"
          >
            Keyboard shortcuts <kbd>?</kbd>
          </button>
        </div>
      </form>
    </>
  );
}
