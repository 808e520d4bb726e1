import { parsePatch, type StructuredPatch } from "diff";

/*
 * Unified diff text → files → hunks → lines, with the real old/new line number of every
 * line. Pure (runs on the server and in the browser). Never throws: text that is not a
 * diff, or a diff that does not parse, comes back as `{ ok: false }` with the reason, so
 * the page can show it as plain text with a notice.
 */

export type LineKind = "context" | "add" | "del";

export interface DiffLine {
  kind: LineKind;
  /** line number in the old file (null for an added line) */
  oldNo: number | null;
  /** line number in the new file (null for a removed line) */
  newNo: number | null;
  text: string;
  /** followed by "\ No newline at end of file" */
  noNewline: boolean;
}

export interface DiffHunk {
  /** "@@ -20,7 +24,10 @@ class Foo", as in the diff */
  header: string;
  /** the text after the second @@ (often the enclosing function), "" if none */
  section: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export type FileStatus = "modified" | "added" | "deleted" | "renamed" | "copied";

export interface DiffFile {
  /** path before the change; null for a new file */
  oldPath: string | null;
  /** path after the change; null for a deleted file */
  newPath: string | null;
  /** the path to show: the new path, or the old one for a deleted file */
  path: string;
  status: FileStatus;
  binary: boolean;
  /** git "similarity index" percent for renames and copies */
  similarity: number | null;
  oldMode: string | null;
  newMode: string | null;
  hunks: DiffHunk[];
  additions: number;
  deletions: number;
  /** number of diff lines (context + added + removed) */
  lineCount: number;
}

export type ParsedDiff =
  | {
      ok: true;
      files: DiffFile[];
      additions: number;
      deletions: number;
      lineCount: number;
      /** the text used CRLF line endings (shown normalised to LF) */
      crlf: boolean;
      /** hunk headers whose line counts did not match their lines, recounted */
      repairedHunks: number;
    }
  | { ok: false; reason: string; text: string };

export interface ParseOptions {
  /** path to use when the diff names no file (a bare hunk): the request's file_path */
  fallbackPath?: string;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const NOT_A_DIFF = "This text is not a unified diff (no file headers or @@ hunks were found).";

export function parseDiff(input: string, options: ParseOptions = {}): ParsedDiff {
  const crlf = input.includes("\r\n");
  const text = crlf ? input.replace(/\r\n/g, "\n") : input;
  if (text.trim() === "") return { ok: false, reason: "The diff is empty.", text: input };

  let patches: StructuredPatch[];
  let source = text;
  let repairedHunks = 0;
  try {
    patches = parsePatch(text);
  } catch (error) {
    // Generated diffs often get the hunk header counts wrong: recount and try once more.
    const repaired = recountHunks(text);
    try {
      if (repaired.changed === 0) throw error;
      patches = parsePatch(repaired.text);
      source = repaired.text;
      repairedHunks = repaired.changed;
    } catch {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: `The diff could not be parsed: ${detail}.`, text: input };
    }
  }

  const meaningful = patches.filter(
    (p) => p.hunks.length > 0 || p.isGit || p.isBinary || p.oldFileName || p.newFileName,
  );
  if (!meaningful.some((p) => p.hunks.length > 0 || p.isGit || p.isBinary)) {
    return { ok: false, reason: NOT_A_DIFF, text: input };
  }

  const sections = hunkSections(source);
  const similarities = gitSimilarities(source);
  let gitIndex = 0;
  let hunkIndex = 0;
  const files: DiffFile[] = [];
  for (const patch of meaningful) {
    const similarity = patch.isGit ? (similarities[gitIndex++] ?? null) : null;
    const hunks = patch.hunks.map((h) => toHunk(h, sections[hunkIndex++]));
    files.push(toFile(patch, hunks, similarity, options.fallbackPath));
  }

  let additions = 0;
  let deletions = 0;
  let lineCount = 0;
  for (const f of files) {
    additions += f.additions;
    deletions += f.deletions;
    lineCount += f.lineCount;
  }
  return { ok: true, files, additions, deletions, lineCount, crlf, repairedHunks };
}

/** A line that legitimately follows a hunk: the next hunk or file, or the end of the text. */
function isBoundary(lines: string[], j: number): boolean {
  const line = lines[j]!;
  if (line.startsWith("@@ ") || line.startsWith("diff ") || line.startsWith("Index: ")) return true;
  if (line.startsWith("--- ") && (lines[j + 1] ?? "").startsWith("+++ ")) return true;
  return line === "" && j === lines.length - 1;
}

/**
 * Rewrite every hunk header with the counts of the lines that follow it. Gives up
 * (changed = 0) when a hunk runs into a line that is neither hunk body nor a boundary:
 * then the text is damaged, not just miscounted, and nothing may be silently dropped.
 */
export function recountHunks(text: string): { text: string; changed: number } {
  const lines = text.split("\n");
  let changed = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = HUNK_HEADER.exec(lines[i]!);
    if (!m) continue;
    let oldCount = 0;
    let newCount = 0;
    let j = i + 1;
    for (; j < lines.length && !isBoundary(lines, j); j++) {
      const op = lines[j]![0] ?? " ";
      if (!" +-\\".includes(op)) return { text, changed: 0 };
      if (op === " ") {
        oldCount++;
        newCount++;
      } else if (op === "-") oldCount++;
      else if (op === "+") newCount++;
    }
    const declaredOld = m[2] === undefined ? 1 : Number(m[2]);
    const declaredNew = m[4] === undefined ? 1 : Number(m[4]);
    if (declaredOld !== oldCount || declaredNew !== newCount) {
      const section = m[5] ? ` ${m[5]}` : "";
      lines[i] = `@@ -${m[1]},${oldCount} +${m[3]},${newCount} @@${section}`;
      changed++;
    }
    i = j - 1;
  }
  return { text: lines.join("\n"), changed };
}

/** Hunk headers in text order: the raw header and its section text. */
function hunkSections(
  text: string,
): { header: string; oldStart: number; newStart: number; section: string }[] {
  const out = [];
  for (const line of text.split("\n")) {
    const m = HUNK_HEADER.exec(line);
    if (m) {
      out.push({
        header: line,
        oldStart: Number(m[1]),
        newStart: Number(m[3]),
        section: m[5] ?? "",
      });
    }
  }
  return out;
}

/** `similarity index N%` per `diff --git` block, in order (null where absent). */
function gitSimilarities(text: string): (number | null)[] {
  const out: (number | null)[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) out.push(null);
    else if (out.length > 0 && out[out.length - 1] === null) {
      const m = /^(?:similarity|copy similarity) index (\d+)%$/.exec(line);
      if (m) out[out.length - 1] = Number(m[1]);
    }
  }
  return out;
}

function toHunk(
  h: StructuredPatch["hunks"][number],
  raw: { header: string; oldStart: number; newStart: number; section: string } | undefined,
): DiffHunk {
  // parsePatch adds 1 to a start whose count is 0; the header itself keeps the diff's text
  const oldStartRaw = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
  const newStartRaw = h.newLines === 0 ? h.newStart - 1 : h.newStart;
  const matches = raw && raw.oldStart === oldStartRaw && raw.newStart === newStartRaw;
  const header = matches
    ? raw.header
    : `@@ -${oldStartRaw},${h.oldLines} +${newStartRaw},${h.newLines} @@`;
  const lines: DiffLine[] = [];
  let oldNo = h.oldStart;
  let newNo = h.newStart;
  for (const rawLine of h.lines) {
    const op = rawLine[0] ?? " ";
    const body = rawLine.slice(1);
    if (op === "\\") {
      const previous = lines[lines.length - 1];
      if (previous) previous.noNewline = true;
    } else if (op === "+") {
      lines.push({ kind: "add", oldNo: null, newNo: newNo++, text: body, noNewline: false });
    } else if (op === "-") {
      lines.push({ kind: "del", oldNo: oldNo++, newNo: null, text: body, noNewline: false });
    } else {
      lines.push({ kind: "context", oldNo: oldNo++, newNo: newNo++, text: body, noNewline: false });
    }
  }
  return {
    header,
    section: matches ? raw.section : "",
    oldStart: oldStartRaw,
    oldLines: h.oldLines,
    newStart: newStartRaw,
    newLines: h.newLines,
    lines,
  };
}

/** Both names carry git's a/ b/ prefixes (a missing side is /dev/null). */
function hasPrefixes(oldName: string | undefined, newName: string | undefined): boolean {
  const ok = (name: string | undefined, prefix: string) =>
    name === "/dev/null" || (name ?? "").startsWith(prefix);
  return (
    ok(oldName, "a/") && ok(newName, "b/") && !(oldName === "/dev/null" && newName === "/dev/null")
  );
}

function cleanName(name: string | undefined, strip: boolean): string | null {
  if (name === undefined || name.trim() === "" || name === "/dev/null") return null;
  const trimmed = name.trim();
  return strip ? trimmed.slice(2) : trimmed;
}

function toFile(
  patch: StructuredPatch,
  hunks: DiffHunk[],
  similarity: number | null,
  fallbackPath: string | undefined,
): DiffFile {
  const oldName = patch.oldFileName;
  const newName = patch.newFileName;
  const created = !!patch.isCreate || (oldName === "/dev/null" && newName !== "/dev/null");
  const deleted = !!patch.isDelete || (newName === "/dev/null" && oldName !== "/dev/null");
  const strip = hasPrefixes(oldName, newName);
  let oldPath = created ? null : cleanName(oldName, strip);
  let newPath = deleted ? null : cleanName(newName, strip);
  if (!oldPath && !newPath && fallbackPath) {
    oldPath = created ? null : fallbackPath;
    newPath = deleted ? null : fallbackPath;
  }
  const status: FileStatus = created
    ? "added"
    : deleted
      ? "deleted"
      : patch.isRename
        ? "renamed"
        : patch.isCopy
          ? "copied"
          : "modified";
  let additions = 0;
  let deletions = 0;
  let lineCount = 0;
  for (const h of hunks) {
    for (const l of h.lines) {
      lineCount++;
      if (l.kind === "add") additions++;
      else if (l.kind === "del") deletions++;
    }
  }
  return {
    oldPath,
    newPath,
    path: newPath ?? oldPath ?? fallbackPath ?? "(unnamed file)",
    status,
    binary: !!patch.isBinary,
    similarity,
    oldMode: patch.oldMode ?? null,
    newMode: patch.newMode ?? null,
    hunks,
    additions,
    deletions,
    lineCount,
  };
}
