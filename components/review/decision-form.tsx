"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { MAX_TEXT } from "@/lib/api/limits";
import type { RequestKind } from "@/lib/domain/kinds";
import { useInlineComments } from "./comment-drafts";
import { AlwaysAllow } from "./always-allow";
import { ConflictNotice } from "./conflict-notice";
import { ChoiceOptions } from "./choice-options";
import { initialDecisionState, type Choice, type DecisionFormState } from "./form-state";
import { useHunkSummary } from "./hunk-store";
import { ShortcutsDialog, useShortcuts, type Shortcut } from "./shortcuts";

type Action = (state: DecisionFormState, formData: FormData) => Promise<DecisionFormState>;

// max-sm:min-h-11: 44 px touch targets on a phone
const button =
  "rounded-md px-4 py-2 text-sm font-medium max-sm:min-h-11 disabled:cursor-not-allowed disabled:opacity-60";
const LIMIT = `Up to ${MAX_TEXT.toLocaleString("en")} characters.`;

/** A shortcut's effect: press the i-th button, focus the text field, or start a reject. */
type Does = { press: number } | "focus" | "reject";

/** The most options the number keys reach (1–9). */
const NUMBER_KEYS = 9;

interface Submit {
  /** the decision field's value (approval buttons), if any */
  value?: string;
  label: string;
  key?: string;
  className: string;
}

/** What differs between the kinds' forms: the text field, its words, the buttons. */
const OWN_FORMS: Record<
  Exclude<RequestKind, "tool_call">,
  {
    field: string;
    inputId: string;
    label: string;
    hint: string;
    rows: number;
    title?: string;
    pendingText: string;
    submits: Submit[];
    /** keys beside `?` (no `does`: a key the text field handles itself) */
    shortcuts: { key: string; description: string; does?: Does }[];
    /** Ctrl/⌘+Enter in the text field presses this button (if only while rejecting: then) */
    ctrlEnter: { press: number; onlyWhileRejecting?: boolean };
  }
> = {
  approval: {
    field: "comment",
    inputId: "comment",
    label: "Comment",
    hint: `Optional when approving; required to reject. The agent receives it. ${LIMIT}`,
    rows: 3,
    title: "Your decision",
    pendingText: "Saving…",
    submits: [
      {
        value: "approve",
        label: "Approve",
        key: "a",
        className:
          "bg-green-700 text-white hover:bg-green-800 dark:bg-green-600 dark:hover:bg-green-500",
      },
      {
        value: "reject",
        label: "Reject",
        key: "r",
        className:
          "border border-red-300 bg-white text-red-800 hover:bg-red-50 dark:border-red-800 dark:bg-zinc-900 dark:text-red-300 dark:hover:bg-red-950",
      },
    ],
    shortcuts: [
      { key: "a", description: "Approve", does: { press: 0 } },
      {
        key: "r",
        description: "Reject: focuses the comment; write the reason, then Ctrl+Enter or Reject",
        does: "reject",
      },
    ],
    // only a reject is sent from the keyboard here: never approve by accident
    ctrlEnter: { press: 1, onlyWhileRejecting: true },
  },
  question: {
    field: "response",
    inputId: "answer",
    label: "Answer",
    hint: `The agent receives this text as the answer. Ctrl+Enter (⌘+Enter) sends it. ${LIMIT}`,
    rows: 5,
    pendingText: "Sending…",
    submits: [
      {
        label: "Send answer",
        className:
          "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300",
      },
    ],
    shortcuts: [
      { key: "a", description: "Focus the answer", does: "focus" },
      { key: "Ctrl+Enter", description: "Send the answer (⌘+Enter on macOS)" },
    ],
    ctrlEnter: { press: 0 },
  },
};

/** A tool call is approved or rejected like an approval. */
const FORMS = { ...OWN_FORMS, tool_call: OWN_FORMS.approval } satisfies Record<
  RequestKind,
  unknown
>;

/**
 * The decision form of every kind: one text field (comment or answer) and its submit
 * buttons, keyboard shortcuts (`?` lists them), errors at the field, a conflict in place
 * of the form. Approval: a approves, r focuses the comment to reject (Ctrl+Enter then
 * sends the reject, never an approve). Question: a focuses the answer, Ctrl+Enter sends.
 */
export function DecisionForm({
  kind,
  id,
  action,
  choice = null,
  hunks = false,
  alwaysAllow = null,
  sessionAllow = null,
}: {
  kind: RequestKind;
  id: string;
  action: Action;
  /** a multiple-choice question's options (shown as buttons above the text field) */
  choice?: Choice | null;
  /** the diff's hunks are decided on the page (hunk-store): send them, say what they are */
  hunks?: boolean;
  /** the proposed "always allow" rule's JSON (null: not offered) */
  alwaysAllow?: string | null;
  /** Claude Code's suggestions in words: offers "allow for this session" (null: none) */
  sessionAllow?: string | null;
}) {
  const spec = FORMS[kind];
  const { drafts } = useInlineComments();
  const hunkSummary = useHunkSummary();
  const inPart = hunks && hunkSummary.rejected > 0;
  const [state, formAction, pending] = useActionState(action, initialDecisionState);
  const [text, setText] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [picked, setPicked] = useState<ReadonlySet<string>>(() => new Set());
  const formRef = useRef<HTMLFormElement>(null);
  const buttonRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const optionRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const helpRef = useRef<HTMLDialogElement>(null);
  // with options and allow_text false there is no text field and (single) no send button
  const textShown = !choice || choice.allowText;
  const submits = choice && !choice.allowText && !choice.multiSelect ? [] : spec.submits;
  const error = textShown ? state.errors?.[spec.field] : undefined;
  const choiceError =
    state.errors?.selected ?? (textShown ? undefined : state.errors?.[spec.field]);
  const hintId = `${spec.inputId}-hint`;
  const errorId = `${spec.inputId}-error`;

  useEffect(() => {
    if (error) textRef.current?.focus();
  }, [state, error]);

  const press = (i: number) => {
    if (!pending) formRef.current?.requestSubmit(buttonRefs.current[i] ?? undefined);
  };
  const run = (does: Does) => () => {
    if (does === "focus") textRef.current?.focus();
    else if (does === "reject") {
      setRejecting(true);
      textRef.current?.focus();
    } else press(does.press);
  };
  const toggle = (label: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (!next.delete(label)) next.add(label);
      return next;
    });
  // 1–9: answer with the Nth option (single choice), or tick/untick it (several)
  const optionShortcuts: Shortcut[] = (choice?.options ?? [])
    .slice(0, NUMBER_KEYS)
    .map((label, i) => ({
      key: String(i + 1),
      description: choice?.multiSelect ? `Tick or untick “${label}”` : `Answer “${label}”`,
      run: () => {
        if (pending) return;
        if (choice?.multiSelect) toggle(label);
        else formRef.current?.requestSubmit(optionRefs.current[i] ?? undefined);
      },
    }));
  const shortcuts: Shortcut[] = [
    ...optionShortcuts,
    ...spec.shortcuts
      // without a text field: neither "focus the answer" nor its Ctrl+Enter
      .filter(({ does }) => textShown || (does !== "focus" && does !== undefined))
      .map(({ key, description, does }) => ({
        key,
        description,
        run: does ? run(does) : undefined,
      })),
    { key: "?", description: "Show these shortcuts", run: () => helpRef.current?.showModal() },
  ];
  useShortcuts(shortcuts);

  if (state.conflict) return <ConflictNotice conflict={state.conflict} kind={kind} />;

  return (
    <>
      <ShortcutsDialog shortcuts={shortcuts} dialogRef={helpRef} />
      <form
        ref={formRef}
        action={formAction}
        aria-labelledby={spec.title ? "decision-title" : undefined}
        noValidate
      >
        {spec.title ? (
          <h2 id="decision-title" className="mb-2 text-base font-semibold">
            {spec.title}
          </h2>
        ) : null}
        <input type="hidden" name="id" value={id} />
        {hunks ? <input type="hidden" name="hunks" value={hunkSummary.payload} /> : null}
        {hunks && hunkSummary.total > 0 ? (
          <p
            aria-live="polite"
            data-testid="hunk-summary"
            className="mb-2 text-sm text-zinc-700 dark:text-zinc-300"
          >
            {hunkSummary.total - hunkSummary.rejected} of {hunkSummary.total}{" "}
            {hunkSummary.total === 1 ? "hunk" : "hunks"} kept
            {hunkSummary.edited ? `, ${hunkSummary.edited} edited` : ""}.
            {inPart ? " Approving approves them in part." : ""}
          </p>
        ) : null}
        {drafts?.length ? (
          <>
            <input type="hidden" name="comments" value={JSON.stringify(drafts)} />
            <p className="mb-2 text-sm text-zinc-700 dark:text-zinc-300">
              {drafts.length === 1
                ? "1 inline comment is sent with your decision"
                : `${drafts.length} inline comments are sent with your decision`}
              ; to request changes, reject: the comment box may stay empty.
            </p>
          </>
        ) : null}
        {choice ? (
          <ChoiceOptions
            choice={choice}
            picked={picked}
            onToggle={toggle}
            disabled={pending}
            error={choiceError}
            numberKeys={NUMBER_KEYS}
            buttonRefs={optionRefs}
          />
        ) : null}
        {textShown ? (
          <>
            <label htmlFor={spec.inputId} className="block text-sm font-medium">
              {choice ? `Or type an answer` : spec.label}
            </label>
            <p id={hintId} className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">
              {choice
                ? `${choice.multiSelect ? "Sent with the options you tick" : "Sent with the option you choose, or alone with Send answer"}. ${LIMIT}`
                : spec.hint}
            </p>
            <textarea
              ref={textRef}
              id={spec.inputId}
              name={spec.field}
              rows={spec.rows}
              maxLength={MAX_TEXT}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  const { press: i, onlyWhileRejecting } = spec.ctrlEnter;
                  if (!onlyWhileRejecting || rejecting || error) press(i);
                }
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${hintId} ${errorId}` : hintId}
              className={`w-full rounded-md border bg-white px-3 py-2 text-sm dark:bg-zinc-950 ${error ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
            />
            {error ? (
              <p
                id={errorId}
                role="alert"
                className="mt-1 text-sm font-medium text-red-700 dark:text-red-400"
              >
                {error}
              </p>
            ) : null}
          </>
        ) : null}
        {state.errors?.hunks ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
            {state.errors.hunks}
          </p>
        ) : null}
        {sessionAllow ? (
          <label className="mt-3 flex min-h-11 cursor-pointer items-start gap-2 text-sm">
            <input type="checkbox" name="allow_session" className="mt-1 size-4" />
            <span>
              Allow for this session: Claude Code stops asking for this ({sessionAllow}) until the
              session ends
            </span>
          </label>
        ) : null}
        {alwaysAllow ? (
          <AlwaysAllow proposal={alwaysAllow} error={state.errors?.always_allow_rule} />
        ) : null}
        {state.message ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          {submits.map((s, i) => (
            <button
              key={s.label}
              ref={(el) => {
                buttonRefs.current[i] = el;
              }}
              type="submit"
              name={s.value ? "decision" : undefined}
              value={s.value}
              disabled={pending}
              aria-keyshortcuts={s.key}
              className={`${button} ${choice ? "min-h-11" : ""} ${s.className}`}
            >
              {inPart && s.value === "approve" ? "Approve in part" : s.label}
            </button>
          ))}
          <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
            {pending ? spec.pendingText : ""}
          </span>
          <button
            type="button"
            onClick={() => helpRef.current?.showModal()}
            className="ml-auto text-xs text-zinc-600 underline-offset-2 hover:underline max-sm:hidden dark:text-zinc-400"
          >
            Keyboard shortcuts <kbd>?</kbd>
          </button>
        </div>
      </form>
    </>
  );
}
