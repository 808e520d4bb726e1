import type { DiffFile, DiffLine } from "@/lib/diff/parse";
import type { ViewMode } from "./use-view-mode";

/** Rows of inline comments under the lines they end on (components/diff/inline-comments.tsx). */
export interface StaticComments {
  /** "old:12", "new:14": the lines that have a thread */
  anchors: ReadonlySet<string>;
  render(side: "old" | "new", line: number): React.ReactNode;
}

/*
 * A plain, server-renderable table of a file's first lines: the same numbers, layout
 * and row height as the viewer, without word diff or highlighting. It is in the HTML
 * the server sends, so the first hunk is readable before any script has loaded, and
 * it stays in place until the real viewer has rendered its rows.
 */

type Cell = { line: DiffLine; no: number } | null;
type Row = { kind: "hunk"; header: string } | { kind: "split"; left: Cell; right: Cell };

export function splitRows(file: DiffFile, limit: number): Row[] {
  const rows: Row[] = [];
  let shown = 0;
  for (const hunk of file.hunks) {
    if (shown >= limit) break;
    rows.push({ kind: "hunk", header: hunk.header });
    const lines = hunk.lines.slice(0, Math.max(0, limit - shown));
    shown += lines.length;
    for (let i = 0; i < lines.length;) {
      const line = lines[i]!;
      if (line.kind === "context") {
        rows.push({
          kind: "split",
          left: { line, no: line.oldNo ?? 0 },
          right: { line, no: line.newNo ?? 0 },
        });
        i++;
        continue;
      }
      const dels: DiffLine[] = [];
      const adds: DiffLine[] = [];
      while (i < lines.length && lines[i]!.kind === "del") dels.push(lines[i++]!);
      while (i < lines.length && lines[i]!.kind === "add") adds.push(lines[i++]!);
      for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
        const d = dels[k];
        const a = adds[k];
        rows.push({
          kind: "split",
          left: d ? { line: d, no: d.oldNo ?? 0 } : null,
          right: a ? { line: a, no: a.newNo ?? 0 } : null,
        });
      }
    }
  }
  return rows;
}

const tone = (line: DiffLine | undefined, gutter: boolean) =>
  line?.kind === "add"
    ? gutter
      ? "bg-[#cdffd8] dark:bg-[#3fb9504d]"
      : "bg-[#e6ffed] dark:bg-[#2ea04326]"
    : line?.kind === "del"
      ? gutter
        ? "bg-[#ffdce0] dark:bg-[#f851494d]"
        : "bg-[#ffeef0] dark:bg-[#f851491a]"
      : gutter
        ? "bg-zinc-100 dark:bg-[#1f1f23]"
        : "";

const mark = (line: DiffLine | undefined) =>
  line?.kind === "add" ? "+" : line?.kind === "del" ? "-" : "";

const gutterCls =
  "w-[3.75rem] px-1.5 text-right align-top text-zinc-600 select-none dark:text-zinc-400";
// phones: no break inside a word; the table scrolls sideways in its box (see file-viewer.tsx)
const textCls = "whitespace-pre-wrap break-all align-top max-md:whitespace-pre max-md:break-normal";

function SplitCell({ cell, side }: { cell: Cell; side: "old" | "new" }) {
  return (
    <>
      <td
        className={`${gutterCls} ${tone(cell?.line, true)}`}
        data-side={side}
        data-line={cell?.no}
      >
        {cell?.no}
      </td>
      <td className={`w-7 px-2 align-top select-none ${tone(cell?.line, false)}`}>
        {mark(cell?.line)}
      </td>
      <td className={`${textCls} ${tone(cell?.line, false)}`}>{cell?.line.text}</td>
    </>
  );
}

const tableCls =
  "w-full table-fixed border-collapse font-mono text-[12.5px] leading-5 max-md:w-max max-md:min-w-full max-md:table-auto";

/**
 * `view: "auto"` (server rendering, before the stored choice is known): both layouts,
 * unified on narrow screens and split on wide ones by CSS, like useViewMode's default.
 */
export function StaticDiff({
  file,
  limit,
  view,
  comments,
}: {
  file: DiffFile;
  limit: number;
  view: ViewMode | "auto";
  comments?: StaticComments;
}) {
  if (view === "auto") {
    return (
      <>
        <div className="overflow-x-auto max-md:hidden">
          <StaticDiff file={file} limit={limit} view="split" comments={comments} />
        </div>
        <div className="overflow-x-auto md:hidden">
          <StaticDiff file={file} limit={limit} view="unified" comments={comments} />
        </div>
      </>
    );
  }
  /** the comment rows under a line (its old and new numbers) */
  const threads = (key: string, oldNo: number | null, newNo: number | null, span: number) => {
    if (!comments) return null;
    const out: React.ReactNode[] = [];
    for (const [side, no] of [
      ["old", oldNo],
      ["new", newNo],
    ] as const) {
      if (no !== null && comments.anchors.has(`${side}:${no}`)) {
        out.push(
          <tr key={`${key}:c:${side}`} data-comment-row={`${side}:${no}`}>
            <td colSpan={span}>{comments.render(side, no)}</td>
          </tr>,
        );
      }
    }
    return out;
  };
  const hunkRow = (header: string, span: number) => (
    <tr
      key={`h:${header}`}
      className="bg-[#eef4ff] text-slate-600 dark:bg-[#1e2a44] dark:text-slate-400"
    >
      <td colSpan={span} className="px-3 whitespace-pre-wrap">
        {header}
      </td>
    </tr>
  );
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
        <tbody>
          {splitRows(file, limit).map((r, i) =>
            r.kind === "hunk"
              ? hunkRow(r.header, 6)
              : [
                  <tr key={i}>
                    <SplitCell cell={r.left} side="old" />
                    <SplitCell cell={r.right} side="new" />
                  </tr>,
                  threads(String(i), r.left?.no ?? null, r.right?.no ?? null, 6),
                ],
          )}
        </tbody>
      </table>
    );
  }
  const rows: React.ReactNode[] = [];
  let shown = 0;
  for (const hunk of file.hunks) {
    if (shown >= limit) break;
    rows.push(hunkRow(hunk.header, 4));
    for (const line of hunk.lines.slice(0, limit - shown)) {
      rows.push(
        <tr key={rows.length}>
          <td
            className={`${gutterCls} w-[6.5rem] ${tone(line, true)}`}
            data-old-line={line.oldNo ?? undefined}
            data-new-line={line.newNo ?? undefined}
          >
            <span className="grid grid-cols-2 gap-2">
              <span>{line.oldNo}</span>
              <span>{line.newNo}</span>
            </span>
          </td>
          <td className={`w-7 px-2 align-top select-none ${tone(line, false)}`}>{mark(line)}</td>
          <td className={`${textCls} ${tone(line, false)}`}>{line.text}</td>
        </tr>,
      );
      rows.push(threads(String(rows.length), line.oldNo, line.newNo, 3));
    }
    shown += hunk.lines.length;
  }
  return (
    <table className={tableCls}>
      <colgroup>
        <col className="w-[6.5rem]" />
        <col className="w-7" />
        <col />
      </colgroup>
      <tbody>{rows}</tbody>
    </table>
  );
}
