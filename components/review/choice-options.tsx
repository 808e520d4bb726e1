"use client";

import type { Choice } from "./form-state";

const box =
  "flex min-h-11 w-full items-center gap-3 rounded-md border px-3 py-2 text-left text-sm font-medium";
const idle =
  "border-zinc-300 bg-white hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:bg-zinc-800";

function KeyHint({ n }: { n: number | null }) {
  if (n === null) return null;
  return (
    <kbd
      aria-hidden
      className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded border border-zinc-300 bg-zinc-100 font-mono text-xs text-zinc-700 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"
    >
      {n}
    </kbd>
  );
}

/**
 * A question's options. One choice: each option is a submit button (`selected=<label>`),
 * so a click or its number key answers at once, together with any typed text. Several:
 * real checkboxes (`selected`, repeated) sent with the Send button. Each row is at least
 * 44 px tall; the first nine show their number key.
 */
export function ChoiceOptions({
  choice,
  picked,
  onToggle,
  disabled,
  error,
  numberKeys,
  buttonRefs,
}: {
  choice: Choice;
  picked: ReadonlySet<string>;
  onToggle: (label: string) => void;
  disabled: boolean;
  error?: string;
  numberKeys: number;
  buttonRefs: React.RefObject<(HTMLButtonElement | null)[]>;
}) {
  const keyOf = (i: number) => (i < numberKeys ? i + 1 : null);
  const errorId = "choice-error";
  return (
    <fieldset className="mb-4" aria-describedby={error ? `choice-hint ${errorId}` : "choice-hint"}>
      <legend className="text-sm font-medium">
        {choice.multiSelect ? "Choose one or more" : "Choose one"}
      </legend>
      <p id="choice-hint" className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
        {choice.multiSelect
          ? "Tick the options (or press their number keys), then Send answer."
          : "Click an option or press its number key: it is sent at once."}
      </p>
      <ul className="space-y-2">
        {choice.options.map((label, i) =>
          choice.multiSelect ? (
            <li key={label}>
              <label
                className={`${box} cursor-pointer ${picked.has(label) ? "border-blue-600 bg-blue-50 dark:border-blue-400 dark:bg-blue-950/50" : idle}`}
              >
                <input
                  type="checkbox"
                  name="selected"
                  value={label}
                  checked={picked.has(label)}
                  onChange={() => onToggle(label)}
                  disabled={disabled}
                  aria-keyshortcuts={keyOf(i) ? String(keyOf(i)) : undefined}
                  className="h-5 w-5 shrink-0 accent-blue-700"
                />
                <KeyHint n={keyOf(i)} />
                <span className="min-w-0 break-words">{label}</span>
              </label>
            </li>
          ) : (
            <li key={label}>
              <button
                ref={(el) => {
                  buttonRefs.current[i] = el;
                }}
                type="submit"
                name="selected"
                value={label}
                disabled={disabled}
                aria-keyshortcuts={keyOf(i) ? String(keyOf(i)) : undefined}
                className={`${box} ${idle} disabled:cursor-not-allowed disabled:opacity-60`}
              >
                <KeyHint n={keyOf(i)} />
                <span className="min-w-0 break-words">{label}</span>
              </button>
            </li>
          ),
        )}
      </ul>
      {error ? (
        <p
          id={errorId}
          role="alert"
          className="mt-1 text-sm font-medium text-red-700 dark:text-red-400"
        >
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
