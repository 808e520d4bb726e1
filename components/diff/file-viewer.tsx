"use client";

import { useMemo, useRef } from "react";
import ReactDiffViewer, {
  DiffMethod,
  LineNumberPrefix,
  type ReactDiffViewerStyles,
  type ReactDiffViewerStylesOverride,
} from "react-diff-viewer-continued";
import { languageForPath } from "@/lib/diff/language";
import type { DiffFile } from "@/lib/diff/parse";
import { viewerInput, type SideEntry } from "@/lib/diff/sides";
import { useInlineComments } from "@/components/review/comment-drafts";
import { CommentPortals, useAnchors, useCommentRows } from "./inline-comments";
import type { ViewMode } from "./use-view-mode";

/*
 * One react-diff-viewer-continued instance for one file (all shown hunks joined by
 * header rows). Its own line numbers are hidden; `renderGutter` prints the real
 * old/new numbers from the map built by viewerInput().
 *
 * Web Worker: the library can compute the diff in a worker started from a blob: URL.
 * Measured here (2 cores, load average 14-17), time from the server-rendered table to
 * the viewer's rows: 300-line window 1.8-2.0 s synchronous vs 1.2-1.7 s in a worker;
 * a 30-line file 30-210 ms vs 140-410 ms. Small windows compute synchronously (no
 * worker start-up); big ones ("Show all") use the worker so the page stays responsive.
 * If a CSP forbids `worker-src blob:`, the library falls back to computing inline.
 */

const WORKER_FROM_LINES = 1000;

// the library sizes its gutter columns at 50px; ours hold up to 6 digits, or 2 numbers.
// On a phone, code lines keep their shape (no break inside a word) and the diff scrolls
// sideways inside its box instead of widening the page.
const GUTTER_CSS = `
.nexus-diff[data-view="split"] colgroup col:nth-child(1),
.nexus-diff[data-view="split"] colgroup col:nth-child(4) { width: 3.75rem; }
.nexus-diff[data-view="unified"] colgroup col:nth-child(1) { width: 6.5rem; }
@media (max-width: 767px) {
  .nexus-diff table { width: max-content; min-width: 100%; table-layout: auto; }
  .nexus-diff pre, .nexus-diff [class*="-content-text"] {
    white-space: pre; line-break: auto; word-break: normal;
  }
}
`;

// DiffType values of the library (its enum is not exported from the package root)
const ADDED = 1;
const REMOVED = 2;

const styles: ReactDiffViewerStylesOverride = {
  variables: {
    light: {
      highlightBackground: "#eef4ff",
      highlightGutterBackground: "#dbe6fb",
      gutterBackground: "#f4f4f5",
      gutterColor: "#52525b",
    },
    dark: {
      diffViewerBackground: "#18181b",
      diffViewerColor: "#e4e4e7",
      gutterBackground: "#1f1f23",
      gutterBackgroundDark: "#1f1f23",
      gutterColor: "#a1a1aa",
      emptyLineBackground: "#1c1c20",
      highlightBackground: "#1e2a44",
      highlightGutterBackground: "#22325a",
      addedGutterColor: "#d4f5dc",
      removedGutterColor: "#ffd9dc",
    },
  },
  diffContainer: { minWidth: 0, fontSize: 12.5 },
  line: { fontSize: 12.5 },
  contentText: { fontFamily: "var(--font-mono)" },
  gutter: {
    fontFamily: "var(--font-mono)",
    padding: "0 6px",
    "&:hover": { cursor: "default" },
    pre: { opacity: 1, textAlign: "right" },
  },
  // hunk header rows (highlightLines = the separator ids)
  // slate-600: 4.5:1 and more on the header row's light blue (slate-500 was 4.3:1)
  highlightedLine: { "& pre, & span": { color: "#475569 !important", fontStyle: "normal" } },
};

function gutterCell(
  entries: (SideEntry | undefined)[],
  position: number,
  side: "old" | "new",
): React.ReactNode {
  const entry = position > 0 ? entries[position] : undefined;
  // an empty cell still needs a line box: the row aligns cells on their text baselines
  if (!entry || entry.kind === "hunk") return "\u00a0";
  return (
    <>
      {entry.no}
      {entry.noNewline ? (
        <span title="No newline at end of file" className="ml-0.5 text-red-600 dark:text-red-400">
          ∅<span className="sr-only"> (no newline at end of file)</span>
        </span>
      ) : null}
      <span className="sr-only">{side === "old" ? " old line" : " new line"}</span>
    </>
  );
}

export function FileViewer({
  file,
  limit,
  view,
  dark,
}: {
  file: DiffFile;
  limit: number;
  view: ViewMode;
  dark: boolean;
}) {
  const input = useMemo(() => viewerInput(file, limit), [file, limit]);
  const language = useMemo(() => languageForPath(file.path), [file.path]);
  const split = view === "split";
  const { drafts, openAt } = useInlineComments();
  const box = useRef<HTMLDivElement>(null);
  const anchors = useAnchors(file);
  const cells = useCommentRows(box, anchors, split);
  /** a click on a line number starts a comment there (Shift+click: to there) */
  const commentOn = (side: "old" | "new", no: number | undefined) =>
    drafts !== null && no !== undefined
      ? {
          onClick: (e: React.MouseEvent) => openAt(file.path, side, no, e.shiftKey),
          title: "Comment on this line (Shift+click: up to this line)",
          style: { cursor: "pointer" },
        }
      : {};

  const renderGutter = ({
    lineNumber,
    type,
    prefix,
    additionalLineNumber,
    styles: s,
  }: {
    lineNumber: number;
    type: number;
    prefix: LineNumberPrefix;
    additionalLineNumber?: number;
    styles: ReactDiffViewerStyles;
  }) => {
    const classes = [s.gutter];
    if (type === ADDED) classes.push(s.diffAdded);
    if (type === REMOVED) classes.push(s.diffRemoved);
    if (split) {
      const map = prefix === LineNumberPrefix.LEFT ? input.oldMap : input.newMap;
      const entry = lineNumber > 0 ? map[lineNumber] : undefined;
      if (entry?.kind === "hunk") classes.push(s.highlightedGutter);
      if (!entry) classes.push(s.emptyGutter);
      const side = prefix === LineNumberPrefix.LEFT ? "old" : "new";
      const no = entry?.kind === "line" ? entry.no : undefined;
      return (
        <td className={classes.join(" ")} data-side={side} data-line={no} {...commentOn(side, no)}>
          <pre className={s.lineNumber}>{gutterCell(map, lineNumber, side)}</pre>
        </td>
      );
    }
    // unified: old and new numbers side by side in one cell
    const oldPos = prefix === LineNumberPrefix.LEFT ? lineNumber : 0;
    const newPos = additionalLineNumber ?? 0;
    const oldEntry = input.oldMap[oldPos];
    const newEntry = input.newMap[newPos];
    if (oldEntry?.kind === "hunk" || newEntry?.kind === "hunk") classes.push(s.highlightedGutter);
    const oldNo = oldEntry?.kind === "line" ? oldEntry.no : undefined;
    const newNo = newEntry?.kind === "line" ? newEntry.no : undefined;
    return (
      <td
        className={classes.join(" ")}
        data-old-line={oldNo}
        data-new-line={newNo}
        {...(newNo !== undefined ? commentOn("new", newNo) : commentOn("old", oldNo))}
      >
        <pre className={s.lineNumber} style={{ width: "100%", display: "flex", gap: 8 }}>
          <span style={{ flex: "1 1 0", textAlign: "right" }}>
            {gutterCell(input.oldMap, oldPos, "old")}
          </span>
          <span style={{ flex: "1 1 0", textAlign: "right" }}>
            {gutterCell(input.newMap, newPos, "new")}
          </span>
        </pre>
      </td>
    );
  };

  return (
    <div ref={box} className="nexus-diff overflow-x-auto" data-view={view}>
      <style href="nexus-diff-gutters" precedence="default">
        {GUTTER_CSS}
      </style>
      <ReactDiffViewer
        oldValue={input.oldValue}
        newValue={input.newValue}
        splitView={split}
        hideLineNumbers
        renderGutter={renderGutter}
        highlightLines={input.separatorIds}
        showDiffOnly={false}
        compareMethod={DiffMethod.WORDS}
        highlightLanguage={language}
        useDarkTheme={dark}
        styles={styles}
        hideSummary
        disableWorker={input.shownLines <= WORKER_FROM_LINES}
      />
      <CommentPortals file={file} cells={cells} anchors={anchors} />
    </div>
  );
}
