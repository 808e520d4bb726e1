"use client";

import { useEffect, useMemo, useState } from "react";
import {
  decideFile,
  focusedHunk,
  moveFocus,
  setHunks,
  updateHunk,
} from "@/components/review/hunk-store";
import { useShortcuts } from "@/components/review/shortcuts";
import type { FileHighlight } from "@/lib/diff/highlight";
import { opensAsText, startsCollapsed } from "@/lib/diff/limits";
import { parseDiff, type DiffFile } from "@/lib/diff/parse";
import { CommentsProvider } from "@/components/review/comment-drafts";
import { hunkNames } from "@/lib/diff/review";
import { FileDiff } from "./file-diff";
import { RawText } from "./raw-text";
import { setViewMode, useViewMode, type ViewMode } from "./use-view-mode";

const n = (value: number) => value.toLocaleString("en");

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <p
      role="note"
      className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-200"
    >
      {children}
    </p>
  );
}

function ViewToggle({ view }: { view: ViewMode }) {
  const option = (mode: ViewMode, label: string) => (
    <button
      type="button"
      aria-pressed={view === mode}
      onClick={() => setViewMode(mode)}
      className={`px-3 py-1 text-sm max-sm:min-h-11 ${view === mode ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
    >
      {label}
    </button>
  );
  return (
    <div
      role="group"
      aria-label="Diff layout"
      className="inline-flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700"
    >
      {option("split", "Split")}
      {option("unified", "Unified")}
    </div>
  );
}

function FileList({ files, anchors }: { files: DiffFile[]; anchors: string[] }) {
  return (
    <details
      open={files.length <= 6}
      className="mb-3 rounded-lg border border-zinc-200 bg-white text-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <summary className="cursor-pointer px-3 py-2 font-medium">Files ({n(files.length)})</summary>
      <nav aria-label="Files in this diff">
        <ol className="max-h-72 overflow-auto border-t border-zinc-200 py-1 dark:border-zinc-800">
          {files.map((f, i) => (
            <li key={anchors[i]} className="flex items-center gap-3 px-3">
              {/* py-1: a 28 px tall target (24 px is the minimum) */}
              <a
                href={`#${anchors[i]}`}
                className="min-w-0 flex-1 truncate py-1 font-mono text-xs hover:underline max-sm:py-3"
              >
                {f.path}
              </a>
              <span className="shrink-0 font-mono text-xs">
                <span className="text-green-700 dark:text-green-400">+{n(f.additions)}</span>{" "}
                <span className="text-red-700 dark:text-red-400">−{n(f.deletions)}</span>
              </span>
            </li>
          ))}
        </ol>
      </nav>
    </details>
  );
}

/** The hunk keys of the page (with per-hunk decisions): move, accept, reject, edit. */
function useHunkKeys(enabled: boolean) {
  const onFocused = (run: (h: { file: string; index: number }) => void) => () => {
    const h = focusedHunk();
    if (h) run(h);
    else moveFocus(1);
  };
  useShortcuts(
    enabled
      ? [
          { key: "j", description: "Next hunk", run: () => moveFocus(1) },
          { key: "k", description: "Previous hunk", run: () => moveFocus(-1) },
          {
            key: "y",
            description: "Accept the hunk",
            run: onFocused((h) => updateHunk(h.file, h.index, { accepted: true })),
          },
          {
            key: "n",
            description: "Reject the hunk",
            run: onFocused((h) => updateHunk(h.file, h.index, { accepted: false })),
          },
          {
            key: "e",
            description: "Edit the hunk",
            run: onFocused((h) => {
              const button = document.querySelector<HTMLButtonElement>(
                `div[data-hunk="${CSS.escape(`${h.file}#${h.index}`)}"] button[aria-keyshortcuts="e"]`,
              );
              if (button && button.getAttribute("aria-expanded") !== "true") button.click();
            }),
          },
          {
            key: "Y",
            description: "Accept the whole file",
            run: onFocused((h) => decideFile(h.file, true)),
          },
          {
            key: "N",
            description: "Reject the whole file",
            run: onFocused((h) => decideFile(h.file, false)),
          },
        ]
      : [],
  );
}

/**
 * The whole diff of a request: summary, file list, one table per file; plain text when
 * it is not a diff. `decideId`: the pending request whose hunks the reviewer decides here
 * (per-hunk controls and keys; the decision form sends them). Rendered by
 * components/diff/review-diff.tsx, which gives the server's highlighting of the first lines
 * and the layout it rendered.
 */
export function DiffView({
  comments = true,
  ...props
}: DiffProps & {
  /**
   * false: no inline comments on this diff (one that is not the request's own, such as
   * the changes since an earlier revision)
   */
  comments?: boolean;
}) {
  if (comments) return <Diff {...props} />;
  return (
    <CommentsProvider saved={null} editable={false}>
      <Diff {...props} />
    </CommentsProvider>
  );
}

interface DiffProps {
  diff: string;
  fallbackPath?: string;
  /** per file, the server's highlighting of its first lines (null: none) */
  highlights?: (FileHighlight | null)[] | null;
  initialView?: ViewMode;
  /** before each file's anchor ("file-1"): a second diff on a page keeps its ids apart */
  anchorPrefix?: string;
  /** the pending request whose hunks the reviewer decides here */
  decideId?: string;
}

function Diff({
  diff,
  fallbackPath,
  highlights,
  initialView,
  anchorPrefix = "",
  decideId,
}: DiffProps) {
  const parsed = useMemo(() => parseDiff(diff, { fallbackPath }), [diff, fallbackPath]);
  const decide = !!decideId && parsed.ok;
  useEffect(() => {
    if (decideId && parsed.ok) setHunks(decideId, hunkNames(parsed.files));
  }, [decideId, parsed]);
  useHunkKeys(decide);
  const view = useViewMode(initialView);
  const [asDiff, setAsDiff] = useState(false);
  const [collapseAll, setCollapseAll] = useState<{ generation: number; collapsed: boolean | null }>(
    { generation: 0, collapsed: null },
  );

  if (!parsed.ok) {
    return (
      <div>
        <Notice>{parsed.reason} It is shown below as plain text.</Notice>
        <RawText text={diff} label="Submitted text" />
      </div>
    );
  }

  const { files } = parsed;
  const anchors = files.map((_, i) => `${anchorPrefix}file-${i + 1}`);
  const enormous = opensAsText(parsed.lineCount, diff.length);

  const summary = (
    <p className="text-sm text-zinc-600 dark:text-zinc-400">
      {n(files.length)} {files.length === 1 ? "file" : "files"} changed,{" "}
      <span className="text-green-700 dark:text-green-400">
        {n(parsed.additions)} {parsed.additions === 1 ? "addition" : "additions"}
      </span>
      ,{" "}
      <span className="text-red-700 dark:text-red-400">
        {n(parsed.deletions)} {parsed.deletions === 1 ? "deletion" : "deletions"}
      </span>
    </p>
  );

  if (enormous && !asDiff) {
    return (
      <div>
        <div className="mb-3 flex flex-wrap items-center gap-3">{summary}</div>
        <Notice>
          This diff is very large ({n(parsed.lineCount)} lines in {n(files.length)} files), so it is
          shown as plain text.{" "}
          <button type="button" className="font-medium underline" onClick={() => setAsDiff(true)}>
            Render it as a diff
          </button>{" "}
          (files start collapsed).
        </Notice>
        <FileList files={files} anchors={anchors} />
        <RawText text={diff} label="Diff as plain text" />
      </div>
    );
  }

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-3">
        {summary}
        <div className="ml-auto flex items-center gap-2">
          <button
            type="button"
            className="rounded-md border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 max-sm:min-h-11 dark:border-zinc-700 dark:hover:bg-zinc-800"
            onClick={() =>
              setCollapseAll((c) => ({ generation: c.generation + 1, collapsed: true }))
            }
          >
            Collapse all
          </button>
          <button
            type="button"
            className="rounded-md border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 max-sm:min-h-11 dark:border-zinc-700 dark:hover:bg-zinc-800"
            onClick={() =>
              setCollapseAll((c) => ({ generation: c.generation + 1, collapsed: false }))
            }
          >
            Expand all
          </button>
          <ViewToggle view={view} />
        </div>
      </div>
      {parsed.crlf ? (
        <Notice>
          This diff uses CRLF (Windows) line endings; they are shown as plain line breaks.
        </Notice>
      ) : null}
      {parsed.repairedHunks > 0 ? (
        <Notice>
          {parsed.repairedHunks === 1
            ? "One hunk header"
            : `${n(parsed.repairedHunks)} hunk headers`}{" "}
          in this diff gave line counts that did not match the lines below them; the counts were
          recomputed from the lines. Check the numbers before relying on them.
        </Notice>
      ) : null}
      {files.length > 1 ? <FileList files={files} anchors={anchors} /> : null}
      <div className="space-y-4">
        {files.map((file, i) => (
          <FileDiff
            key={`${anchors[i]}:${collapseAll.generation}`}
            file={file}
            anchor={anchors[i]!}
            view={view}
            highlight={highlights?.[i] ?? null}
            eager={i === 0}
            decide={decide}
            collapsedByDefault={
              collapseAll.collapsed ?? (enormous || startsCollapsed(i, file.lineCount))
            }
          />
        ))}
      </div>
    </div>
  );
}
