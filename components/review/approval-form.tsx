"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { ConflictNotice } from "./conflict-notice";
import { initialDecisionState, type DecisionFormState } from "./form-state";
import { ShortcutsDialog, useShortcuts, type Shortcut } from "./shortcuts";

type Action = (state: DecisionFormState, formData: FormData) => Promise<DecisionFormState>;

const button =
  "rounded-md px-4 py-2 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60";

/** Approve / Reject with an optional comment (required to reject); keys a, r, ?. */
export function ApprovalForm({ id, action }: { id: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, initialDecisionState);
  const [comment, setComment] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const approveRef = useRef<HTMLButtonElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const helpRef = useRef<HTMLDialogElement>(null);

  const commentError = state.errors?.comment?.[0];
  useEffect(() => {
    if (commentError) commentRef.current?.focus();
  }, [state, commentError]);

  const shortcuts: Shortcut[] = [
    {
      key: "a",
      description: "Approve",
      run: () => {
        if (!pending) formRef.current?.requestSubmit(approveRef.current);
      },
    },
    {
      key: "r",
      description: "Reject: focuses the comment; write the reason, then Ctrl+Enter or Reject",
      run: () => {
        setRejecting(true);
        commentRef.current?.focus();
      },
    },
    { key: "?", description: "Show these shortcuts", run: () => helpRef.current?.showModal() },
  ];
  useShortcuts(shortcuts);

  if (state.conflict) return <ConflictNotice conflict={state.conflict} kind="approval" />;

  return (
    <>
      <ShortcutsDialog shortcuts={shortcuts} dialogRef={helpRef} />
      <form ref={formRef} action={formAction} aria-labelledby="decision-title" noValidate>
        <h2 id="decision-title" className="mb-2 text-base font-semibold">
          Your decision
        </h2>
        <input type="hidden" name="id" value={id} />
        <label htmlFor="comment" className="block text-sm font-medium">
          Comment
        </label>
        <p id="comment-hint" className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">
          Optional when approving; required to reject. The agent receives it.
        </p>
        <textarea
          ref={commentRef}
          id="comment"
          name="comment"
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              // only a reject is sent from the keyboard here: never approve by accident
              if (rejecting || commentError) formRef.current?.requestSubmit(rejectRef.current);
            }
          }}
          aria-invalid={commentError ? true : undefined}
          aria-describedby={commentError ? "comment-hint comment-error" : "comment-hint"}
          className={`w-full rounded-md border bg-white px-3 py-2 text-sm dark:bg-zinc-950 ${commentError ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
        />
        {commentError ? (
          <p
            id="comment-error"
            role="alert"
            className="mt-1 text-sm font-medium text-red-700 dark:text-red-400"
          >
            {commentError}
          </p>
        ) : null}
        {state.message ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <button
            ref={approveRef}
            type="submit"
            name="decision"
            value="approve"
            disabled={pending}
            aria-keyshortcuts="a"
            className={`${button} bg-green-700 text-white hover:bg-green-800 dark:bg-green-600 dark:hover:bg-green-500`}
          >
            Approve
          </button>
          <button
            ref={rejectRef}
            type="submit"
            name="decision"
            value="reject"
            disabled={pending}
            aria-keyshortcuts="r"
            className={`${button} border border-red-300 bg-white text-red-800 hover:bg-red-50 dark:border-red-800 dark:bg-zinc-900 dark:text-red-300 dark:hover:bg-red-950`}
          >
            Reject
          </button>
          <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
            {pending ? "Saving…" : ""}
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
