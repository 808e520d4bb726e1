import { createTwoFilesPatch, structuredPatch } from "diff";
import { parseDiff, type DiffFile } from "./parse";

/*
 * "Changes since revision N": what differs between two versions of a change. When both
 * diffs were made against the same content of each file, the interdiff is a diff between
 * the two resulting files, reconstructed from the hunks (the lines a diff shows of the
 * base are all we know of it; the lines neither shows are the same in both results).
 * Otherwise (a diff does not parse, the agent rebased, a file is binary…) it is a diff
 * between the two diffs' texts. Pure and total: it never throws, so the page that shows
 * it never fails.
 */

export type Interdiff =
  /** `diff`: a unified diff from the earlier result to the later one ("" = same result) */
  | { mode: "files"; diff: string }
  /** `diff`: a unified diff between the two diffs' texts; `reason`: why not the files */
  | { mode: "text"; diff: string; reason: string };

export interface InterdiffOptions {
  /** the requests' file_path: the path of a bare hunk without file headers */
  fallbackPath?: string;
  /** names of the two versions in a text interdiff ("revision 1", "revision 2") */
  labels?: [string, string];
}

/** Past this line number a file is not rebuilt line by line: the texts are compared. */
export const MAX_RECONSTRUCTED_LINE = 200_000;

/** A base line no diff shows: the same placeholder in both results (NUL is never stored). */
const gap = (no: number) => `\u0000${no}`;
const isGap = (line: string) => line.startsWith("\u0000");
/** What a placeholder inside a hunk's context is shown as. */
export const GAP_TEXT = "⋯ (a line neither revision's diff shows)";

class NotComparable extends Error {}

/** `file`'s key: the path of the content it was made against (its new path if it is new). */
const baseKey = (f: DiffFile) => f.oldPath ?? f.newPath ?? f.path;

function byBase(files: DiffFile[]): Map<string, DiffFile> {
  const map = new Map<string, DiffFile>();
  for (const f of files) {
    const key = baseKey(f);
    if (f.binary) throw new NotComparable(`${f.path} is a binary file`);
    if (map.has(key)) throw new NotComparable(`${key} appears twice in one diff`);
    map.set(key, f);
  }
  return map;
}

/** The base lines a diff shows (context and removed lines), by old line number. */
function collectBase(file: DiffFile, base: Map<number, string>, path: string) {
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "add" || line.oldNo === null) continue;
      const known = base.get(line.oldNo);
      if (known !== undefined && known !== line.text) {
        throw new NotComparable(
          `the two revisions were made against different contents of ${path} (line ${line.oldNo})`,
        );
      }
      base.set(line.oldNo, line.text);
    }
  }
}

/** Where a hunk starts in the old file (a hunk that removes nothing inserts after oldStart). */
const hunkStart = (h: DiffFile["hunks"][number]) =>
  h.oldLines === 0 ? h.oldStart + 1 : h.oldStart;

function lastOldLine(file: DiffFile | undefined): number {
  let last = 0;
  for (const h of file?.hunks ?? []) last = Math.max(last, hunkStart(h) + h.oldLines - 1);
  return last;
}

/** The base (lines 1..length, unknown ones as placeholders) with `file`'s hunks applied. */
function apply(base: string[], file: DiffFile | undefined): string[] | null {
  if (!file) return base;
  if (file.status === "deleted") return null;
  const out: string[] = [];
  let next = 1; // the next base line to copy
  for (const hunk of file.hunks) {
    const start = hunkStart(hunk);
    if (start < next) throw new NotComparable(`the hunks of ${file.path} overlap`);
    for (; next < start; next++) out.push(base[next - 1]!);
    for (const line of hunk.lines) {
      if (line.kind === "add") out.push(line.text);
      else if (line.kind === "context") out.push(line.text);
    }
    next = start + hunk.oldLines;
  }
  for (; next <= base.length; next++) out.push(base[next - 1]!);
  return out;
}

/** One file's part of the interdiff ("" when both results are the same). */
function fileInterdiff(path: string, a: DiffFile | undefined, b: DiffFile | undefined): string {
  const added = (f: DiffFile | undefined) => f?.status === "added";
  if (a && b && added(a) !== added(b)) {
    throw new NotComparable(`${path} is a new file in one revision only`);
  }
  const known = new Map<number, string>();
  if (a) collectBase(a, known, path);
  if (b) collectBase(b, known, path);
  let length = Math.max(lastOldLine(a), lastOldLine(b));
  for (const no of known.keys()) length = Math.max(length, no);
  if (length > MAX_RECONSTRUCTED_LINE) throw new NotComparable(`${path} is too long to rebuild`);
  const base = Array.from({ length }, (_, i) => known.get(i + 1) ?? gap(i + 1));
  const before = apply(base, a);
  const after = apply(base, b);
  if (before === null && after === null) return "";
  const oldName = before === null ? "/dev/null" : `a/${a?.newPath ?? path}`;
  const newName = after === null ? "/dev/null" : `b/${b?.newPath ?? path}`;
  const text = (lines: string[] | null) => (lines?.length ? `${lines.join("\n")}\n` : "");
  const patch = structuredPatch(oldName, newName, text(before), text(after), "", "", {
    context: 3,
  });
  if (patch.hunks.length === 0) return "";
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const h of patch.hunks) {
    const lines = h.lines.filter((l) => !l.startsWith("\\"));
    if (lines.some((l) => l[0] !== " " && isGap(l.slice(1)))) {
      throw new NotComparable(`lines of ${path} moved across lines neither diff shows`);
    }
    // placeholders at a hunk's edges are context nobody can read: leave them out
    let head = 0;
    while (head < lines.length && isGap(lines[head]!.slice(1))) head++;
    let tail = lines.length;
    while (tail > head && isGap(lines[tail - 1]!.slice(1))) tail--;
    const body = lines.slice(head, tail);
    const oldCount = body.filter((l) => l[0] !== "+").length;
    const newCount = body.filter((l) => l[0] !== "-").length;
    const oldStart = oldCount === 0 ? h.oldStart + head - 1 : h.oldStart + head;
    const newStart = newCount === 0 ? h.newStart + head - 1 : h.newStart + head;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const l of body) out.push(isGap(l.slice(1)) ? ` ${GAP_TEXT}` : l);
  }
  return `${out.join("\n")}\n`;
}

/** The interdiff of two versions of a change (`before`: the earlier diff). Never throws. */
export function interdiff(
  before: string,
  after: string,
  options: InterdiffOptions = {},
): Interdiff {
  const [labelA, labelB] = options.labels ?? ["before", "after"];
  const asText = (reason: string): Interdiff => ({
    mode: "text",
    reason,
    diff:
      before === after
        ? ""
        : createTwoFilesPatch(`${labelA}.diff`, `${labelB}.diff`, norm(before), norm(after)),
  });
  const a = parseDiff(before, { fallbackPath: options.fallbackPath });
  const b = parseDiff(after, { fallbackPath: options.fallbackPath });
  if (!a.ok) return asText(`${labelA} is not a diff Nexus can read: ${a.reason}`);
  if (!b.ok) return asText(`${labelB} is not a diff Nexus can read: ${b.reason}`);
  try {
    const filesA = byBase(a.files);
    const filesB = byBase(b.files);
    const keys = [...new Set([...filesA.keys(), ...filesB.keys()])];
    const parts = keys.map((k) => fileInterdiff(k, filesA.get(k), filesB.get(k)));
    return { mode: "files", diff: parts.join("") };
  } catch (error) {
    if (error instanceof NotComparable) return asText(`${capitalise(error.message)}.`);
    // a bug here must not take the page down: the texts can always be compared
    return asText(`The files could not be rebuilt (${String(error)}).`);
  }
}

const norm = (text: string) => {
  const lf = text.replace(/\r\n/g, "\n");
  return lf.endsWith("\n") ? lf : `${lf}\n`;
};
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
