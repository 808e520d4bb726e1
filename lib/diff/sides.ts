import type { DiffFile, DiffLine } from "./parse";

/*
 * One file's hunks → the two texts react-diff-viewer-continued compares, plus a map from
 * each viewer line position back to the real line. Hunks are joined by a separator line
 * (the hunk header, identical on both sides so the viewer pairs it as unchanged) and the
 * viewer's own numbers are hidden: its `linesOffset` shifts both sides equally, which is
 * wrong as soon as newStart ≠ oldStart. Pure, so it is unit-tested.
 */

export type SideEntry =
  { kind: "hunk"; header: string; hunk: number } | { kind: "line"; no: number; noNewline: boolean };

export interface ViewerInput {
  oldValue: string;
  newValue: string;
  /** old side: index = viewer line number (1-based; index 0 unused) */
  oldMap: (SideEntry | undefined)[];
  newMap: (SideEntry | undefined)[];
  /** viewer line ids ("L-3", "R-3") of the separator rows, styled as hunk headers */
  separatorIds: string[];
  /** diff lines included (context + added + removed), ≤ file.lineCount */
  shownLines: number;
}

/** Build the viewer's input from the first `limit` diff lines of `file` (whole file by default). */
export function viewerInput(file: DiffFile, limit = Number.POSITIVE_INFINITY): ViewerInput {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  const oldMap: (SideEntry | undefined)[] = [undefined];
  const newMap: (SideEntry | undefined)[] = [undefined];
  const separatorIds: string[] = [];
  let shown = 0;
  const push = (side: "old" | "new", text: string, entry: SideEntry) => {
    if (side === "old") {
      oldLines.push(text);
      oldMap.push(entry);
    } else {
      newLines.push(text);
      newMap.push(entry);
    }
  };
  const line = (l: DiffLine): SideEntry => ({
    kind: "line",
    no: (l.kind === "add" ? l.newNo : l.oldNo) ?? 0,
    noNewline: l.noNewline,
  });
  outer: for (const [index, hunk] of file.hunks.entries()) {
    if (shown >= limit) break;
    const separator: SideEntry = { kind: "hunk", header: hunk.header, hunk: index };
    push("old", hunk.header, separator);
    push("new", hunk.header, separator);
    separatorIds.push(`L-${oldLines.length}`, `R-${newLines.length}`);
    for (const l of hunk.lines) {
      if (shown >= limit) break outer;
      shown++;
      if (l.kind === "del") push("old", l.text, line(l));
      else if (l.kind === "add") push("new", l.text, line(l));
      else {
        push("old", l.text, { kind: "line", no: l.oldNo ?? 0, noNewline: l.noNewline });
        push("new", l.text, { kind: "line", no: l.newNo ?? 0, noNewline: l.noNewline });
      }
    }
  }
  return {
    oldValue: oldLines.length ? `${oldLines.join("\n")}\n` : "",
    newValue: newLines.length ? `${newLines.join("\n")}\n` : "",
    oldMap,
    newMap,
    separatorIds,
    shownLines: shown,
  };
}
