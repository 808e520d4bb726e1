"use client";

import { useEffect, useRef } from "react";

export interface Shortcut {
  key: string;
  description: string;
  run?: () => void;
}

/** True when the key press belongs to a text field (or other editable), not to the page. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file"].includes(
      type,
    );
  }
  return false;
}

/**
 * Single-key page shortcuts. Ignored while typing in a field, with Ctrl/Cmd/Alt held,
 * when another handler already took the key, or while a modal dialog is open.
 */
export function useShortcuts(shortcuts: Shortcut[]) {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.isComposing || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const match = latest.current.find((s) => s.key === event.key && s.run);
      if (!match) return;
      event.preventDefault();
      match.run!();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/** The "?" help: a modal dialog listing the page's shortcuts. */
export function ShortcutsDialog({
  shortcuts,
  dialogRef,
}: {
  shortcuts: Shortcut[];
  dialogRef: React.RefObject<HTMLDialogElement | null>;
}) {
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby="shortcuts-title"
      className="m-auto w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id="shortcuts-title" className="mb-3 text-base font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {shortcuts.map((s) => (
          <div key={s.key} className="contents">
            <dt>
              <kbd className="rounded border border-zinc-300 bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800">
                {s.key}
              </kbd>
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 text-right">
        <button
          type="button"
          onClick={() => dialogRef.current?.close()}
          className="rounded-md border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800"
        >
          Close
        </button>
      </div>
    </dialog>
  );
}
