"use client";

import { useEffect, useRef, useState } from "react";
import type { FileHighlight } from "@/lib/diff/highlight";
import { LIMITS } from "@/lib/diff/limits";
import type { DiffFile } from "@/lib/diff/parse";
import { useFocusedIndexIn } from "@/components/review/hunk-store";
import { DiffTable, type TableComments } from "./diff-table";
import { FileHunkBar, HunkControl } from "./hunk-controls";
import { CommentThread, FileCommentBar, useAnchors } from "./inline-comments";
import { useInlineComments } from "@/components/review/comment-drafts";
import { useHighlight } from "./use-highlight";
import { useHydrated } from "./use-hydrated";
import type { ViewMode } from "./use-view-mode";

/** rough height of a rendered diff line, to reserve space before a table renders */
const ROW_PX = 20;

const STATUS_LABEL: Record<DiffFile["status"], string | null> = {
  modified: null,
  added: "new file",
  deleted: "deleted",
  renamed: "renamed",
  copied: "copied",
};

function TablePlaceholder({ label, lines }: { label: string; lines: number }) {
  return (
    <div
      aria-busy="true"
      className="flex items-start px-4 py-3 text-sm text-zinc-500"
      style={{ minHeight: lines * ROW_PX }}
    >
      {label}
    </div>
  );
}

function emptyBodyText(file: DiffFile): string {
  if (file.binary) return "Binary file: contents not shown.";
  if (file.status === "renamed") return "File renamed without content changes.";
  if (file.status === "copied") return "File copied without content changes.";
  if (file.oldMode && file.newMode && file.oldMode !== file.newMode)
    return `File mode changed from ${file.oldMode} to ${file.newMode}.`;
  if (file.status === "added") return "Empty file added.";
  if (file.status === "deleted") return "Empty file deleted.";
  return "No content changes.";
}

/** Diff lines from the file's start through hunk `index`. */
function linesThrough(file: DiffFile, index: number): number {
  let n = 0;
  for (let i = 0; i <= index && i < file.hunks.length; i++) n += file.hunks[i]!.lines.length;
  return n;
}

/** How many hunks start within the first `limit` diff lines. */
function hunksWithin(file: DiffFile, limit: number): number {
  let n = 0;
  let count = 0;
  for (const h of file.hunks) {
    if (n >= limit) break;
    count++;
    n += h.lines.length;
  }
  return count;
}

export function FileDiff({
  file,
  anchor,
  view,
  highlight,
  collapsedByDefault,
  eager,
  decide = false,
}: {
  file: DiffFile;
  anchor: string;
  view: ViewMode;
  /** the server's highlighting of the first lines (components/diff/review-diff.tsx) */
  highlight: FileHighlight | null;
  collapsedByDefault: boolean;
  /** render at once, on the server too, instead of waiting to come near the viewport (the first file) */
  eager: boolean;
  /** per-hunk decisions: a row of controls per hunk above the diff */
  decide?: boolean;
}) {
  const [collapsed, setCollapsed] = useState(collapsedByDefault);
  const [near, setNear] = useState(false);
  const hydrated = useHydrated();
  const show = eager || (hydrated && (near || typeof IntersectionObserver === "undefined"));
  const [limit, setLimit] = useState<number>(LIMITS.initialLines);
  const ref = useRef<HTMLElement>(null);
  const runs = useHighlight(file, limit, highlight, hydrated && show && !collapsed);
  const anchors = useAnchors(file);
  const { drafts, openAt } = useInlineComments();
  const comments: TableComments = {
    anchors: new Set(anchors.map((a) => `${a.side}:${a.line}`)),
    render: (side, line) => <CommentThread file={file} anchor={{ side, line }} />,
    // a click on a line number starts a comment there (Shift+click: a range to there)
    open:
      drafts === null ? undefined : (side, line, extend) => openAt(file.path, side, line, extend),
  };

  // render the table only when the file comes near the viewport (the first file: at once)
  useEffect(() => {
    const node = ref.current;
    if (near || collapsed || eager || !node || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [near, collapsed, eager]);

  // a key that moves to a hunk of this file opens it, and shows the lines down to it
  const focusedIndex = useFocusedIndexIn(file.path);
  const focusedHere = decide && focusedIndex >= 0;
  const [wasFocused, setWasFocused] = useState(-1);
  if (decide && focusedIndex !== wasFocused) {
    // adjusting state while rendering (react.dev "you might not need an effect")
    setWasFocused(focusedIndex);
    if (focusedIndex >= 0) {
      setCollapsed(false);
      setNear(true);
      const upTo = linesThrough(file, focusedIndex);
      if (upTo > limit) setLimit(upTo);
    }
  }
  // hunk rows for the hunks the table shows (more come with "Show more")
  const shownHunks = decide ? hunksWithin(file, limit) : 0;

  // a jump link to this file opens it
  useEffect(() => {
    const open = () => {
      if (window.location.hash === `#${anchor}`) {
        setCollapsed(false);
        setNear(true);
      }
    };
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, [anchor]);

  const bodyId = `${anchor}-body`;
  const status = STATUS_LABEL[file.status];
  const hasLines = file.hunks.length > 0;
  const remaining = file.lineCount - Math.min(limit, file.lineCount);
  const placeholderLines = Math.min(limit, file.lineCount) + file.hunks.length;

  return (
    <section
      ref={ref}
      id={anchor}
      aria-label={`Diff of ${file.path}`}
      className="scroll-mt-4 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900/60">
        <button
          type="button"
          onClick={() => {
            setCollapsed((c) => !c);
            setNear(true);
          }}
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          aria-label={`${collapsed ? "Show" : "Hide"} ${file.path}`}
          className="rounded px-1.5 py-0.5 text-xs text-zinc-600 hover:bg-zinc-200 max-sm:min-h-11 max-sm:px-3 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span aria-hidden="true">{collapsed ? "▸ Show" : "▾ Hide"}</span>
        </button>
        <h3 className="min-w-0 break-all font-mono text-sm font-medium">
          {file.status === "renamed" || file.status === "copied" ? (
            <>
              <span className="text-zinc-500">{file.oldPath}</span>
              <span aria-label={file.status === "renamed" ? " renamed to " : " copied to "}>
                {" → "}
              </span>
              {file.newPath}
            </>
          ) : (
            file.path
          )}
        </h3>
        {status ? (
          <span className="rounded-full border border-zinc-300 px-2 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300">
            {status}
            {file.similarity !== null ? ` · ${file.similarity}% similar` : ""}
          </span>
        ) : null}
        {file.binary ? (
          <span className="rounded-full border border-zinc-300 px-2 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300">
            binary
          </span>
        ) : null}
        <span className="ml-auto font-mono text-xs">
          <span className="text-green-700 dark:text-green-400">+{file.additions}</span>{" "}
          <span className="text-red-700 dark:text-red-400">−{file.deletions}</span>
          <span className="sr-only">
            {" "}
            ({file.additions} added, {file.deletions} removed lines)
          </span>
        </span>
      </header>
      <div id={bodyId} hidden={collapsed}>
        {collapsed ? null : <FileCommentBar file={file} />}
        {decide && !collapsed && (show || focusedHere) ? (
          <FileHunkBar file={file} shown={shownHunks} />
        ) : null}
        {collapsed ? null : !hasLines ? (
          <p className="px-4 py-3 text-sm text-zinc-600 dark:text-zinc-400">
            {emptyBodyText(file)}
          </p>
        ) : show ? (
          <>
            {/* data-viewer: "ready" once interactive (hydrated), for tests and tools */}
            <div className="overflow-x-auto" data-viewer={hydrated ? "ready" : "loading"}>
              <DiffTable
                file={file}
                limit={limit}
                view={view}
                runs={runs}
                comments={comments}
                hunkExtra={
                  decide
                    ? (h) => (
                        <HunkControl
                          file={file.path}
                          hunk={file.hunks[h]!}
                          index={h}
                          count={file.hunks.length}
                        />
                      )
                    : undefined
                }
              />
            </div>
            {remaining > 0 ? (
              <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
                <span className="text-zinc-600 dark:text-zinc-400">
                  Showing {limit.toLocaleString("en")} of {file.lineCount.toLocaleString("en")}{" "}
                  lines.
                </span>
                <button
                  type="button"
                  className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 max-sm:min-h-11 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  onClick={() => setLimit((l) => l + LIMITS.stepLines)}
                >
                  Show {Math.min(remaining, LIMITS.stepLines).toLocaleString("en")} more lines
                </button>
                {remaining > LIMITS.stepLines ? (
                  <button
                    type="button"
                    className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 max-sm:min-h-11 dark:border-zinc-700 dark:hover:bg-zinc-800"
                    onClick={() => setLimit(file.lineCount)}
                  >
                    Show all {file.lineCount.toLocaleString("en")} lines
                  </button>
                ) : null}
              </div>
            ) : null}
          </>
        ) : (
          <TablePlaceholder
            label="The diff renders when scrolled into view…"
            lines={placeholderLines}
          />
        )}
      </div>
      {collapsed ? (
        <p className="px-4 py-2 text-sm text-zinc-600 dark:text-zinc-400">
          {collapsedByDefault && file.lineCount > LIMITS.collapseFileLines
            ? `Large file (${file.lineCount.toLocaleString("en")} changed lines) collapsed. `
            : "Collapsed. "}
          <button
            type="button"
            className="underline underline-offset-2"
            onClick={() => {
              setCollapsed(false);
              setNear(true);
            }}
          >
            Show
          </button>
        </p>
      ) : null}
    </section>
  );
}
