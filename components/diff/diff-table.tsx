import type { DiffFile, DiffLine } from "@/lib/diff/parse";
import { decodeRuns } from "@/lib/diff/runs";
import type { ViewMode } from "./use-view-mode";

/*
 * One file's diff lines as a table, split (old | new) or unified: the real old/new line
 * numbers, syntax colours and changed-word marks (runs from lib/diff/highlight.ts,
 * computed on the server for the first lines). No hooks and no browser APIs: the server
 * renders it into the page's HTML, so the first lines are complete before any script
 * runs, and the browser renders the same component for lines shown later. Lines
 * without runs yet show as plain text until theirs arrive.
 */

/** Inline comments (components/diff/inline-comments.tsx): rows under the lines they end on. */
export interface TableComments {
  /** "old:12", "new:14": the lines that have a thread (or the open comment form) */
  anchors: ReadonlySet<string>;
  render(side: "old" | "new", line: number): React.ReactNode;
  /** a click on a line number (absent: the page takes no new comments) */
  open?(side: "old" | "new", line: number, extend: boolean): void;
}

/** What a line number cell gets when a click on it starts a comment. */
function commentable(
  comments: TableComments | undefined,
  side: "old" | "new",
  no: number | null | undefined,
) {
  const open = comments?.open;
  if (!open || !no) return {};
  return {
    onClick: (e: React.MouseEvent) => open(side, no, e.shiftKey),
    title: `Comment on ${side} line ${no} (Shift+click: a range up to it)`,
    style: { cursor: "pointer" },
  };
}

/** The comment rows under a line (its old and new numbers), `span` columns wide. */
function threadRows(
  comments: TableComments | undefined,
  key: string,
  oldNo: number | null | undefined,
  newNo: number | null | undefined,
  span: number,
): React.ReactNode[] {
  if (!comments || comments.anchors.size === 0) return [];
  const out: React.ReactNode[] = [];
  for (const [side, no] of [
    ["old", oldNo],
    ["new", newNo],
  ] as const) {
    if (no && comments.anchors.has(`${side}:${no}`)) {
      out.push(
        <tr key={`${key}:c:${side}`} data-comment-row={`${side}:${no}`}>
          <td colSpan={span}>{comments.render(side, no)}</td>
        </tr>,
      );
    }
  }
  return out;
}

type Cell = { line: DiffLine; no: number; runs: string | undefined } | null;
type Row =
  { kind: "hunk"; header: string; hunk: number } | { kind: "split"; left: Cell; right: Cell };

/** Rows of the split view: a change block's k-th removed and k-th added line side by side. */
export function splitRows(file: DiffFile, limit: number, runs?: string[][] | null): Row[] {
  const rows: Row[] = [];
  let shown = 0;
  file.hunks.forEach((hunk, h) => {
    if (shown >= limit) return;
    rows.push({ kind: "hunk", header: hunk.header, hunk: h });
    const lines = hunk.lines.slice(0, Math.max(0, limit - shown));
    shown += lines.length;
    const cell = (i: number, no: number | null): Cell => ({
      line: lines[i]!,
      no: no ?? 0,
      runs: runs?.[h]?.[i],
    });
    for (let i = 0; i < lines.length;) {
      const line = lines[i]!;
      if (line.kind === "context") {
        rows.push({ kind: "split", left: cell(i, line.oldNo), right: cell(i, line.newNo) });
        i++;
        continue;
      }
      const dels: number[] = [];
      const adds: number[] = [];
      while (i < lines.length && lines[i]!.kind === "del") dels.push(i++);
      while (i < lines.length && lines[i]!.kind === "add") adds.push(i++);
      for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
        const d = dels[k];
        const a = adds[k];
        rows.push({
          kind: "split",
          left: d === undefined ? null : cell(d, lines[d]!.oldNo),
          right: a === undefined ? null : cell(a, lines[a]!.newNo),
        });
      }
    }
  });
  return rows;
}

const tone = (line: DiffLine | undefined, gutter: boolean) =>
  line?.kind === "add"
    ? gutter
      ? "bg-[#cdffd8] dark:bg-[#3fb9504d]"
      : "hl-add bg-[#e6ffed] dark:bg-[#2ea04326]"
    : line?.kind === "del"
      ? gutter
        ? "bg-[#ffdce0] dark:bg-[#f851494d]"
        : "hl-del bg-[#ffeef0] dark:bg-[#f851491a]"
      : gutter
        ? "bg-zinc-100 dark:bg-[#1f1f23]"
        : "";

const mark = (line: DiffLine | undefined) =>
  line?.kind === "add" ? "+" : line?.kind === "del" ? "-" : "";

const gutterCls =
  "w-[3.75rem] px-1.5 text-right align-top text-zinc-600 select-none dark:text-zinc-400";
// phones: no break inside a word; the table scrolls sideways in its box. Code cells
// carry `data-code` (for tests and tools).
const textCls =
  "whitespace-pre-wrap break-all pr-2 align-top max-md:whitespace-pre max-md:break-normal";

/** A line's code: its coloured pieces, or its plain text until its runs are computed. */
function Code({ line, runs }: { line: DiffLine; runs: string | undefined }) {
  const body = runs
    ? decodeRuns(line.text, runs).map(([text, cls], i) =>
        cls ? (
          <span key={i} className={cls}>
            {text}
          </span>
        ) : (
          text
        ),
      )
    : line.text;
  return (
    <>
      {body}
      {line.noNewline ? (
        <span title="No newline at end of file" className="ml-1 text-red-700 dark:text-red-400">
          ∅<span className="sr-only"> (no newline at end of file)</span>
        </span>
      ) : null}
    </>
  );
}

function SplitCell({
  cell,
  side,
  comments,
}: {
  cell: Cell;
  side: "old" | "new";
  comments?: TableComments;
}) {
  return (
    <>
      <td
        className={`${gutterCls} ${tone(cell?.line, true)}`}
        data-side={side}
        data-line={cell?.no}
        {...commentable(comments, side, cell?.no)}
      >
        {cell?.no}
      </td>
      <td className={`w-7 px-2 align-top select-none ${tone(cell?.line, false)}`}>
        {mark(cell?.line)}
      </td>
      <td className={`${textCls} ${tone(cell?.line, false)}`} data-code>
        {cell ? <Code line={cell.line} runs={cell.runs} /> : null}
      </td>
    </>
  );
}

const tableCls =
  "w-full table-fixed border-collapse font-mono text-[12.5px] leading-5 max-md:w-max max-md:min-w-full max-md:table-auto";

/** What a hunk's header row holds beside the header (the review page's per-hunk controls). */
export type HunkExtra = (hunk: number, header: string) => React.ReactNode;

/** The header row of a hunk (`@@ -20,7 +24,10 @@ …`); `data-hunk` is its index in the file. */
function HunkRow({
  header,
  hunk,
  span,
  extra,
}: {
  header: string;
  hunk: number;
  span: number;
  extra?: HunkExtra;
}) {
  return (
    <tr
      data-hunk={hunk}
      className="bg-[#eef4ff] text-slate-600 dark:bg-[#1e2a44] dark:text-slate-400"
    >
      <td colSpan={span} className="px-3 whitespace-pre-wrap">
        {extra ? extra(hunk, header) : header}
      </td>
    </tr>
  );
}

/** Column headers for screen readers (the table is read as data: a line per row). */
function Head({ names }: { names: string[] }) {
  return (
    <thead className="sr-only">
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function DiffTable({
  file,
  limit,
  view,
  runs,
  comments,
  hunkExtra,
}: {
  file: DiffFile;
  /** how many diff lines to show (from the top) */
  limit: number;
  view: ViewMode;
  /** renders each hunk's header row content instead of the bare header */
  hunkExtra?: HunkExtra;
  /** per hunk, per line (lib/diff/highlight.ts); missing lines show as plain text */
  runs?: string[][] | null;
  comments?: TableComments;
}) {
  if (view === "split") {
    return (
      <table className={tableCls}>
        <colgroup>
          <col className="w-[3.75rem]" />
          <col className="w-7" />
          <col />
          <col className="w-[3.75rem]" />
          <col className="w-7" />
          <col />
        </colgroup>
        <Head
          names={["Old line", "Old change", "Old code", "New line", "New change", "New code"]}
        />
        <tbody>
          {splitRows(file, limit, runs).map((r, i) =>
            r.kind === "hunk" ? (
              <HunkRow
                key={`h${r.hunk}`}
                header={r.header}
                hunk={r.hunk}
                span={6}
                extra={hunkExtra}
              />
            ) : (
              [
                <tr key={i}>
                  <SplitCell cell={r.left} side="old" comments={comments} />
                  <SplitCell cell={r.right} side="new" comments={comments} />
                </tr>,
                ...threadRows(comments, String(i), r.left?.no, r.right?.no, 6),
              ]
            ),
          )}
        </tbody>
      </table>
    );
  }
  const rows: React.ReactNode[] = [];
  let shown = 0;
  file.hunks.forEach((hunk, h) => {
    if (shown >= limit) return;
    rows.push(<HunkRow key={`h${h}`} header={hunk.header} hunk={h} span={4} extra={hunkExtra} />);
    hunk.lines.slice(0, limit - shown).forEach((line, i) => {
      rows.push(
        <tr key={`${h}:${i}`}>
          <td
            className={`${gutterCls} w-[6.5rem] ${tone(line, true)}`}
            data-old-line={line.oldNo ?? undefined}
            data-new-line={line.newNo ?? undefined}
            {...commentable(comments, line.newNo ? "new" : "old", line.newNo ?? line.oldNo)}
          >
            <span className="grid grid-cols-2 gap-2">
              <span>{line.oldNo}</span>
              <span>{line.newNo}</span>
            </span>
          </td>
          <td className={`w-7 px-2 align-top select-none ${tone(line, false)}`}>{mark(line)}</td>
          <td className={`${textCls} ${tone(line, false)}`} data-code>
            <Code line={line} runs={runs?.[h]?.[i]} />
          </td>
        </tr>,
        ...threadRows(comments, `${h}:${i}`, line.oldNo, line.newNo, 3),
      );
    });
    shown += hunk.lines.length;
  });
  return (
    <table className={tableCls}>
      <colgroup>
        <col className="w-[6.5rem]" />
        <col className="w-7" />
        <col />
      </colgroup>
      <Head names={["Line numbers (old, new)", "Change", "Code"]} />
      <tbody>{rows}</tbody>
    </table>
  );
}
