import { diffArrays } from "diff";
import { parseDiff, recountHunks, type DiffFile, type DiffHunk } from "./parse";

/*
 * A reviewer's per-hunk decisions and edits on a unified diff → the diff of exactly what
 * was accepted (`applied_diff`), valid for `git apply` against the same base as the
 * original: rejected hunks left out, later hunks' new-side line numbers shifted, files
 * with no accepted hunk dropped, every file's header lines (git's `diff --git`, mode,
 * rename, index lines) kept as they were. An edit replaces the new side of a hunk (its
 * context and added lines) with the reviewer's text; the hunk is rebuilt from its old side
 * and that text, counts recomputed. Pure (server and browser), unit-tested with git.
 *
 * Hunks are named by `file` (the path the review page shows: the new path, the old one
 * for a deleted file) and `index` (0-based, in the file's order).
 */

export interface HunkChoice {
  file: string;
  index: number;
  accepted: boolean;
  note?: string | null;
}

export interface HunkEdit {
  file: string;
  index: number;
  /**
   * The hunk's new side as the reviewer wants it: lines separated by "\n", a final "\n"
   * optional ("" = no lines, "\n" = one empty line).
   */
  new_text: string;
}

/** Every hunk of a decided diff, as the agent receives it. */
export interface HunkRecord {
  file: string;
  index: number;
  /** the hunk's header as submitted ("@@ -20,7 +24,10 @@ …") */
  header: string;
  accepted: boolean;
  note: string | null;
  /** the reviewer replaced its new side (the text is in `applied_diff`) */
  edited: boolean;
}

export interface ReviewedDiff {
  hunks: HunkRecord[];
  /** the accepted (and edited) hunks as a unified diff; "" when nothing is accepted */
  appliedDiff: string;
  accepted: number;
  total: number;
  /** some hunk's new side was changed by the reviewer */
  edited: boolean;
}

export interface ReviewProblem {
  /** "hunks.2", "edits.0.new_text": the body field at fault */
  path: string;
  message: string;
}

export type ReviewOutcome =
  { ok: true; review: ReviewedDiff } | { ok: false; problems: ReviewProblem[] };

/** The header lines of each file section of the text, in order, beside its hunk count. */
interface RawFile {
  header: string[];
  hunks: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Split the text into file sections the way parseDiff does, keeping each section's raw
 * header lines (everything before its first hunk) and skipping hunk bodies by their
 * counts (a removed line may start with "--- ").
 */
function rawFiles(text: string): RawFile[] {
  const lines = text.split("\n");
  const out: (RawFile & { inHeader: boolean; sawMinus: boolean })[] = [];
  let cur: (typeof out)[number] | null = null;
  const start = (line: string) => {
    cur = { header: [line], hunks: 0, inHeader: true, sawMinus: line.startsWith("--- ") };
    out.push(cur);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = HUNK_HEADER.exec(line);
    if (m) {
      if (!cur) {
        cur = { header: [], hunks: 0, inHeader: false, sawMinus: false };
        out.push(cur);
      }
      const c: (typeof out)[number] = cur;
      c.hunks++;
      c.inHeader = false;
      let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      let newLeft = m[4] === undefined ? 1 : Number(m[4]);
      while (i + 1 < lines.length && (oldLeft > 0 || newLeft > 0)) {
        const op = lines[++i]![0];
        if (op === "-") oldLeft--;
        else if (op === "+") newLeft--;
        else if (op !== "\\") {
          oldLeft--;
          newLeft--;
        }
      }
      while (i + 1 < lines.length && lines[i + 1]!.startsWith("\\")) i++;
      continue;
    }
    const c = cur as (typeof out)[number] | null;
    const headerOnlyIndex =
      c !== null && c.inHeader && c.header.every((l) => /^(Index: |=+$)/.test(l));
    if (line.startsWith("diff ") && !headerOnlyIndex) start(line);
    else if (line.startsWith("Index: ")) start(line);
    else if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      if (c && c.inHeader && !c.sawMinus) {
        c.header.push(line);
        c.sawMinus = true;
      } else start(line);
    } else if (c && c.inHeader) c.header.push(line);
    // anything else (a preamble, a trailer between files) is not part of any file
  }
  return out
    .filter(
      (f) =>
        f.hunks > 0 ||
        f.header.some(
          (l) =>
            l.startsWith("diff --git") ||
            l.startsWith("--- ") ||
            /^Binary files |^GIT binary patch/.test(l),
        ),
    )
    .map(({ header, hunks }) => ({
      header: header[header.length - 1] === "" ? header.slice(0, -1) : header,
      hunks,
    }));
}

/** Header lines for a file when the raw text could not be matched to the parsed files. */
function synthesizedHeader(f: DiffFile): string[] {
  const a = f.oldPath ?? f.path;
  const b = f.newPath ?? f.path;
  const out = [`diff --git a/${a} b/${b}`];
  if (f.status === "added") out.push(`new file mode ${f.newMode ?? "100644"}`);
  else if (f.status === "deleted") out.push(`deleted file mode ${f.oldMode ?? "100644"}`);
  else if (f.oldMode && f.newMode && f.oldMode !== f.newMode) {
    out.push(`old mode ${f.oldMode}`, `new mode ${f.newMode}`);
  }
  if (f.status === "renamed") out.push(`rename from ${a}`, `rename to ${b}`);
  out.push(f.oldPath ? `--- a/${a}` : "--- /dev/null", f.newPath ? `+++ b/${b}` : "+++ /dev/null");
  return out;
}

/** A diff line of an emitted hunk: op, text, and whether "\ No newline" follows it. */
interface OutLine {
  op: " " | "-" | "+";
  text: string;
  noNewline: boolean;
}

/** The lines of `text` as an edit's new side (a final "\n" optional). */
export function editLines(text: string): string[] {
  const normal = text.replace(/\r\n/g, "\n");
  if (normal === "") return [];
  const lines = normal.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The new side of a hunk as an edit's text (what the editor starts with). */
export function newSideText(hunk: DiffHunk): string {
  return hunk.lines
    .filter((l) => l.kind !== "del")
    .map((l) => `${l.text}\n`)
    .join("");
}

/** The hunk's body with its new side replaced by `lines` (old side kept, EOF marker kept). */
function editedBody(hunk: DiffHunk, lines: string[]): OutLine[] {
  const oldSide = hunk.lines.filter((l) => l.kind !== "add");
  const newSide = hunk.lines.filter((l) => l.kind !== "del");
  const lastNew = newSide[newSide.length - 1];
  const endsWithoutNewline = !!lastNew?.noNewline;
  // a line without its newline differs from the same text with one: key them apart
  const key = (text: string, noNewline: boolean) => (noNewline ? `${text}\u0000` : text);
  const oldKeys = oldSide.map((l) => key(l.text, l.noNewline));
  const newKeys = lines.map((t, i) => key(t, endsWithoutNewline && i === lines.length - 1));
  const out: OutLine[] = [];
  for (const part of diffArrays(oldKeys, newKeys)) {
    const op = part.added ? "+" : part.removed ? "-" : " ";
    for (const k of part.value) {
      const noNewline = k.endsWith("\u0000");
      out.push({ op, text: noNewline ? k.slice(0, -1) : k, noNewline });
    }
  }
  return out;
}

const bodyOf = (hunk: DiffHunk): OutLine[] =>
  hunk.lines.map((l) => ({
    op: l.kind === "add" ? "+" : l.kind === "del" ? "-" : " ",
    text: l.text,
    noNewline: l.noNewline,
  }));

const keyOf = (file: string, index: number) => `${index}\u0000${file}`;

/**
 * Every hunk of a parsed diff named as the API names it (file, index, header): what a
 * decision may refer to.
 */
export function hunkNames(files: DiffFile[]): { file: string; index: number; header: string }[] {
  return files.flatMap((f) =>
    f.hunks.map((h, index) => ({ file: f.path, index, header: h.header })),
  );
}

/**
 * Apply a reviewer's decisions to `diff`. Hunks not named are accepted; an edit implies
 * its hunk is accepted (an edit of a rejected hunk is a problem). A hunk named twice, or
 * one the diff does not have, is a problem naming it.
 */
export function reviewDiff(
  diff: string,
  choices: readonly HunkChoice[] = [],
  edits: readonly HunkEdit[] = [],
): ReviewOutcome {
  const parsed = parseDiff(diff);
  if (!parsed.ok) {
    const problem = { path: "hunks", message: `The diff has no hunks to decide: ${parsed.reason}` };
    return choices.length || edits.length
      ? { ok: false, problems: [problem] }
      : {
          ok: true,
          review: { hunks: [], appliedDiff: diff, accepted: 0, total: 0, edited: false },
        };
  }
  const files = parsed.files;
  const known = new Map<string, { file: DiffFile; hunk: DiffHunk }>();
  for (const f of files)
    f.hunks.forEach((h, i) => known.set(keyOf(f.path, i), { file: f, hunk: h }));
  const problems: ReviewProblem[] = [];
  const missing = (path: string, file: string, index: number) => {
    const inFile = files.find((f) => f.path === file);
    problems.push({
      path,
      message: inFile
        ? `The file "${file}" has no hunk ${index} (its hunks are 0–${inFile.hunks.length - 1})`
        : `The diff has no file "${file}" (its files: ${files.map((f) => `"${f.path}"`).join(", ")})`,
    });
  };

  const choiceOf = new Map<string, HunkChoice>();
  choices.forEach((c, i) => {
    const k = keyOf(c.file, c.index);
    if (!known.has(k)) missing(`hunks.${i}`, c.file, c.index);
    else if (choiceOf.has(k)) {
      problems.push({
        path: `hunks.${i}`,
        message: `Hunk ${c.index} of "${c.file}" is named twice`,
      });
    } else choiceOf.set(k, c);
  });
  const editOf = new Map<string, string[]>();
  edits.forEach((e, i) => {
    const k = keyOf(e.file, e.index);
    const target = known.get(k);
    if (!target) return missing(`edits.${i}`, e.file, e.index);
    if (editOf.has(k)) {
      return problems.push({
        path: `edits.${i}`,
        message: `Hunk ${e.index} of "${e.file}" is edited twice`,
      });
    }
    if (choiceOf.get(k)?.accepted === false) {
      return problems.push({
        path: `edits.${i}`,
        message: `Hunk ${e.index} of "${e.file}" is rejected: only an accepted hunk can be edited`,
      });
    }
    const lines = editLines(e.new_text);
    if (target.file.status === "deleted" && lines.length > 0) {
      return problems.push({
        path: `edits.${i}.new_text`,
        message: `"${e.file}" is deleted: its hunk has no new side to edit`,
      });
    }
    if (target.file.status === "added" && lines.length === 0) {
      return problems.push({
        path: `edits.${i}.new_text`,
        message: `"${e.file}" is a new file: reject the hunk instead of emptying it`,
      });
    }
    editOf.set(k, lines);
  });
  if (problems.length) return { ok: false, problems };

  // the raw text after the same repair parseDiff made, to keep each file's header lines
  const normal = diff.replace(/\r\n/g, "\n");
  const source = parsed.repairedHunks > 0 ? recountHunks(normal).text : normal;
  const raw = rawFiles(source);
  const aligned =
    raw.length === files.length && raw.every((r, i) => r.hunks === files[i]!.hunks.length);

  const records: HunkRecord[] = [];
  const out: string[] = [];
  let accepted = 0;
  let edited = false;
  files.forEach((f, fi) => {
    const header = aligned ? raw[fi]!.header : synthesizedHeader(f);
    if (f.hunks.length === 0) {
      // a rename, mode change or binary file: nothing to decide, kept as it was
      out.push(...header);
      return;
    }
    const body: string[] = [];
    let delta = 0;
    f.hunks.forEach((h, index) => {
      const k = keyOf(f.path, index);
      const choice = choiceOf.get(k);
      const edit = editOf.get(k);
      const ok = choice?.accepted ?? true;
      let lines = bodyOf(h);
      let hunkEdited = false;
      if (ok && edit) {
        const newSide = lines.filter((l) => l.op !== "-").map((l) => l.text);
        if (newSide.length !== edit.length || newSide.some((t, i) => t !== edit[i])) {
          lines = editedBody(h, edit);
          hunkEdited = true;
          edited = true;
        }
      }
      records.push({
        file: f.path,
        index,
        header: h.header,
        accepted: ok,
        note: choice?.note?.trim() ? choice.note : null,
        edited: hunkEdited,
      });
      if (!ok) return;
      accepted++;
      if (!lines.some((l) => l.op !== " ")) return; // edited back to no change at all
      const oldCount = lines.filter((l) => l.op !== "+").length;
      const newCount = lines.filter((l) => l.op !== "-").length;
      const first = h.oldLines > 0 ? h.oldStart : h.oldStart + 1;
      const newFirst = first + delta;
      const newStart = newCount > 0 ? newFirst : newFirst - 1;
      delta += newCount - oldCount;
      const section = h.section ? ` ${h.section}` : "";
      body.push(`@@ -${h.oldStart},${oldCount} +${newStart},${newCount} @@${section}`);
      for (const l of lines) {
        body.push(`${l.op}${l.text}`);
        if (l.noNewline) body.push("\\ No newline at end of file");
      }
    });
    if (body.length) out.push(...header, ...body);
  });
  const total = records.length;
  return {
    ok: true,
    review: {
      hunks: records,
      appliedDiff: out.length ? `${out.join("\n")}\n` : "",
      accepted,
      total,
      edited,
    },
  };
}
