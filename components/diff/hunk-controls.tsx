"use client";

import { useEffect, useRef } from "react";
import type { DiffFile, DiffHunk } from "@/lib/diff/parse";
import { newSideText } from "@/lib/diff/review";
import {
  decideFile,
  setFocus,
  updateHunk,
  useHunkChoice,
  useHunkFocused,
} from "@/components/review/hunk-store";

/*
 * Per-hunk decisions on the diff under review, in each hunk's header row of the table
 * (diff-table.tsx's `hunkExtra`): Keep (accept) / Drop (reject), Edit, a note once
 * dropped; and a bar per file to decide all of it. "Keep"/"Drop", not "Accept"/"Reject":
 * the page's Reject button decides the request. Plain buttons and, only while editing,
 * one textarea: nothing heavy per hunk, so a diff of thousands of hunks stays quick.
 * Keys (j/k, y/n, e, Y/N) are the diff view's (diff-view.tsx).
 */

const small = "rounded border px-2 py-0.5 text-xs max-sm:min-h-11 max-sm:px-3 disabled:opacity-60";
const off =
  "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";

/** A hunk's header with its controls (the content of its header row). */
export function HunkControl({
  file,
  hunk,
  index,
  count,
}: {
  file: string;
  hunk: DiffHunk;
  index: number;
  count: number;
}) {
  const choice = useHunkChoice(file, index);
  const focused = useHunkFocused(file, index);
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<HTMLTextAreaElement>(null);
  const editing = choice.edit !== null;
  const label = `Hunk ${index + 1} of ${count} in ${file}`;

  useEffect(() => {
    if (!focused || !box.current) return;
    box.current.scrollIntoView({ block: "nearest" });
    if (!box.current.contains(document.activeElement)) box.current.focus();
  }, [focused]);

  return (
    <div
      ref={box}
      tabIndex={-1}
      data-hunk={`${file}#${index}`}
      data-accepted={choice.accepted}
      role="group"
      aria-label={label}
      onFocus={() => {
        if (!focused) setFocus(file, index);
      }}
      className={`-mx-3 flex flex-wrap items-center max-md:sticky max-md:left-0 max-md:max-w-[calc(100vw-2rem)] gap-x-2 gap-y-1 px-3 py-0.5 font-sans outline-none ${focused ? "ring-2 ring-inset ring-blue-500" : ""} ${choice.accepted ? "" : "bg-red-50 dark:bg-red-950/40"}`}
    >
      <span className={`min-w-0 flex-1 font-mono ${choice.accepted ? "" : "line-through"}`}>
        {hunk.header}
      </span>
      {editing ? (
        <span className="rounded-full border border-blue-300 px-2 text-xs text-blue-800 dark:border-blue-700 dark:text-blue-300">
          edited
        </span>
      ) : null}
      <span className="flex gap-1">
        <button
          type="button"
          aria-pressed={choice.accepted}
          aria-keyshortcuts="y"
          onClick={() => updateHunk(file, index, { accepted: true })}
          className={`${small} ${choice.accepted ? "border-green-700 bg-green-700 text-white dark:border-green-600 dark:bg-green-600" : off}`}
        >
          Keep
        </button>
        <button
          type="button"
          aria-pressed={!choice.accepted}
          aria-keyshortcuts="n"
          onClick={() => updateHunk(file, index, { accepted: false })}
          className={`${small} ${!choice.accepted ? "border-red-700 bg-red-700 text-white dark:border-red-600 dark:bg-red-600" : off}`}
        >
          Drop
        </button>
        <button
          type="button"
          aria-keyshortcuts="e"
          aria-expanded={editing}
          disabled={!choice.accepted}
          onClick={() => {
            if (editing) updateHunk(file, index, { edit: null });
            else {
              updateHunk(file, index, { edit: newSideText(hunk).replace(/\n$/, "") });
              requestAnimationFrame(() => editor.current?.focus());
            }
          }}
          className={`${small} ${off}`}
        >
          {editing ? "Undo edit" : "Edit"}
        </button>
      </span>
      {editing ? (
        <span className="block basis-full pb-1">
          <label
            htmlFor={`edit-${file}-${index}`}
            className="block text-xs text-zinc-700 dark:text-zinc-300"
          >
            New side of this hunk (context and added lines), as it should be applied. Esc leaves the
            editor.
          </label>
          <textarea
            ref={editor}
            id={`edit-${file}-${index}`}
            value={choice.edit ?? ""}
            onChange={(e) => updateHunk(file, index, { edit: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "Escape") box.current?.focus();
            }}
            rows={Math.min(20, (choice.edit ?? "").split("\n").length + 1)}
            spellCheck={false}
            className="mt-0.5 w-full rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
        </span>
      ) : null}
      {!choice.accepted ? (
        <span className="flex basis-full items-center gap-2 pb-1">
          <label
            htmlFor={`note-${file}-${index}`}
            className="shrink-0 text-xs text-zinc-700 dark:text-zinc-300"
          >
            Why (optional)
          </label>
          <input
            id={`note-${file}-${index}`}
            value={choice.note}
            onChange={(e) => updateHunk(file, index, { note: e.target.value })}
            className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-0.5 text-xs text-zinc-900 max-sm:min-h-11 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
        </span>
      ) : null}
    </div>
  );
}

/**
 * A file's bar above its diff: how many hunks, Keep file / Drop file (every hunk, shown
 * or not), and how many are below the lines shown.
 */
export function FileHunkBar({ file, shown }: { file: DiffFile; shown: number }) {
  const count = file.hunks.length;
  if (count === 0) return null;
  const rest = count - Math.min(shown, count);
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50/60 px-3 py-1 text-sm dark:border-zinc-800 dark:bg-zinc-900/40">
      <span className="text-xs text-zinc-600 dark:text-zinc-400">
        {count === 1 ? "1 hunk" : `${count.toLocaleString("en")} hunks`}
        {rest > 0
          ? ` (${rest.toLocaleString("en")} below the lines shown: show more, or press j, to decide ${rest === 1 ? "it" : "them"} one by one)`
          : ""}
      </span>
      <button
        type="button"
        aria-keyshortcuts="Shift+Y"
        onClick={() => decideFile(file.path, true)}
        className={`${small} ${off} ml-auto`}
      >
        Keep file
      </button>
      <button
        type="button"
        aria-keyshortcuts="Shift+N"
        onClick={() => decideFile(file.path, false)}
        className={`${small} ${off}`}
      >
        Drop file
      </button>
    </div>
  );
}
