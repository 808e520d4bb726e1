"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useInlineComments, type ComposerAt } from "@/components/review/comment-drafts";
import {
  commentPlace,
  commentsOnFile,
  fileOf,
  lineProblem,
  type CommentSide,
  type InlineComment,
} from "@/lib/diff/comments";
import type { DiffFile } from "@/lib/diff/parse";

/*
 * Inline comments on a file's diff: the threads (recorded comments and drafts) shown
 * as rows under the line they end on (components/diff/diff-table.tsx puts them there),
 * and the composer that adds one.
 */

export interface Anchor {
  side: CommentSide;
  line: number;
}
const anchorKey = (a: Anchor) => `${a.side}:${a.line}`;
const anchorOf = (c: { side: CommentSide; line: number; end_line?: number | null }): Anchor => ({
  side: c.side,
  line: c.end_line ?? c.line,
});

/** Where rows go in `file`: every comment's last line, and the open composer's. */
export function useAnchors(file: DiffFile): Anchor[] {
  const { saved, drafts, composer } = useInlineComments();
  const all = [...commentsOnFile(saved, file), ...commentsOnFile(drafts ?? [], file)].map(anchorOf);
  if (composer && composer.line !== null && fileOf([file], composer.file) === file) {
    all.push({ side: composer.side, line: composer.endLine ?? composer.line });
  }
  const seen = new Map<string, Anchor>();
  for (const a of all) seen.set(anchorKey(a), a);
  return [...seen.values()];
}

const box =
  "my-1 max-w-2xl rounded-md border border-zinc-300 bg-white p-2 font-sans text-sm whitespace-normal text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const small =
  "rounded border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 max-sm:min-h-11 max-sm:px-3 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** The comments (and the composer) that end on `anchor` of `file`. */
export function CommentThread({ file, anchor }: { file: DiffFile; anchor: Anchor }) {
  const { saved, drafts, composer, remove } = useInlineComments();
  const here = (c: InlineComment) => anchorKey(anchorOf(c)) === anchorKey(anchor);
  const mine = (drafts ?? [])
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => fileOf([file], c.file_path) === file && here(c));
  const recorded = commentsOnFile(saved, file).filter(here);
  const composing =
    composer &&
    composer.line !== null &&
    fileOf([file], composer.file) === file &&
    anchorKey({ side: composer.side, line: composer.endLine ?? composer.line }) ===
      anchorKey(anchor);
  return (
    // sticky and no wider than the screen: on a phone the table scrolls sideways, the thread stays
    <div
      className="sticky left-0 max-w-[calc(100vw-2.5rem)] px-2 py-1"
      data-comment-thread={anchorKey(anchor)}
    >
      {recorded.map((c, i) => (
        <article key={`s${i}`} className={box} aria-label={`Comment on ${commentPlace(c)}`}>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{commentPlace(c)}</p>
          <p className="mt-0.5 whitespace-pre-wrap break-words">{c.body}</p>
        </article>
      ))}
      {mine.map(({ c, i }) => (
        <article
          key={`d${i}`}
          className={`${box} border-amber-400 dark:border-amber-600`}
          aria-label={`Draft comment on ${commentPlace(c)}`}
        >
          <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span>{commentPlace(c)} · draft, sent with your decision</span>
            <button type="button" className={`${small} ml-auto`} onClick={() => remove(i)}>
              Remove
            </button>
          </div>
          <p className="mt-0.5 whitespace-pre-wrap break-words">{c.body}</p>
        </article>
      ))}
      {composing ? <CommentComposer file={file} at={composer} /> : null}
    </div>
  );
}

/** The form that adds a draft comment: side, line (and last line), text. */
export function CommentComposer({ file, at }: { file: DiffFile; at: ComposerAt }) {
  const { add, close } = useInlineComments();
  const id = useId();
  const [side, setSide] = useState<CommentSide>(at.side);
  const [line, setLine] = useState(at.line === null ? "" : String(at.line));
  const [end, setEnd] = useState(at.endLine === null ? "" : String(at.endLine));
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const lineRef = useRef<HTMLInputElement>(null);

  // a click on another line (or Shift+click) moves the open composer there, text kept
  const [shownAt, setShownAt] = useState(at);
  if (shownAt !== at) {
    setShownAt(at);
    setSide(at.side);
    setLine(at.line === null ? "" : String(at.line));
    setEnd(at.endLine === null ? "" : String(at.endLine));
  }
  useEffect(() => {
    (at.line === null ? lineRef.current : textRef.current)?.focus();
  }, [at.line]);

  const submit = () => {
    const n = Number(line);
    const e = end.trim() === "" ? null : Number(end);
    if (!Number.isInteger(n) || n < 1) return setError("Give the line number to comment on.");
    if (e !== null && (!Number.isInteger(e) || e < 1))
      return setError("The last line must be a number.");
    if (!body.trim()) return setError("Write the comment.");
    const comment: InlineComment = {
      file_path: file.path,
      side,
      line: n,
      ...(e !== null && e !== n ? { end_line: e } : {}),
      body: body.trim(),
    };
    const problem = lineProblem(file, comment);
    if (problem) return setError(`${problem.message}.`);
    add(comment);
  };

  const field =
    "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950 max-sm:min-h-11";
  return (
    <div
      role="group"
      aria-label={`New comment on ${file.path}`}
      className={`${box} border-sky-400 dark:border-sky-600`}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          close();
        }
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-xs">
          <span className="block text-zinc-600 dark:text-zinc-400">Side</span>
          <select
            className={field}
            value={side}
            onChange={(e) => setSide(e.target.value as CommentSide)}
          >
            <option value="new">new (the change)</option>
            <option value="old">old (before)</option>
          </select>
        </label>
        <label className="text-xs">
          <span className="block text-zinc-600 dark:text-zinc-400">Line</span>
          <input
            ref={lineRef}
            className={`${field} w-20`}
            inputMode="numeric"
            value={line}
            onChange={(e) => setLine(e.target.value)}
          />
        </label>
        <label className="text-xs">
          <span className="block text-zinc-600 dark:text-zinc-400">To line (optional)</span>
          <input
            className={`${field} w-20`}
            inputMode="numeric"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </label>
      </div>
      <label htmlFor={`${id}-body`} className="mt-2 block text-xs font-medium">
        Comment
      </label>
      <textarea
        id={`${id}-body`}
        ref={textRef}
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="mt-1 flex gap-2">
        <button
          type="button"
          onClick={submit}
          className="rounded bg-zinc-900 px-3 py-1 text-sm text-white hover:bg-zinc-700 max-sm:min-h-11 dark:bg-zinc-100 dark:text-zinc-900"
        >
          Add comment
        </button>
        <button type="button" onClick={close} className={small}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Above a file's lines: the keyboard's way to comment, and a composer with no line yet. */
export function FileCommentBar({ file }: { file: DiffFile }) {
  const { drafts, composer, openFree } = useInlineComments();
  if (drafts === null || file.hunks.length === 0) return null;
  const free = composer && composer.line === null && fileOf([file], composer.file) === file;
  return (
    <div className="border-b border-zinc-200 px-3 py-1 dark:border-zinc-800">
      {free ? (
        <CommentComposer file={file} at={composer} />
      ) : (
        <button type="button" className={small} onClick={() => openFree(file.path)}>
          Comment on a line of {file.path}
        </button>
      )}
    </div>
  );
}

export { anchorKey };
