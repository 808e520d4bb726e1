import { parseDiff, type DiffFile } from "./parse";

/*
 * Inline comments of a review: a reviewer's note on a line or a range of lines of one
 * side of a diff. Checked against the diff they were made on (a comment must point at
 * lines the diff shows), and rendered as text an agent can act on. Pure.
 */

export const COMMENT_SIDES = ["old", "new"] as const;
export type CommentSide = (typeof COMMENT_SIDES)[number];

export interface InlineComment {
  file_path: string;
  /** old: the line as it was (a removed or context line); new: as it will be */
  side: CommentSide;
  line: number;
  /** the last line of a range (absent or null: one line) */
  end_line?: number | null;
  body: string;
}

export interface CommentProblem {
  /** where in the decision body, e.g. `comments.0.line` */
  path: string;
  message: string;
}

/** The file of `diff` a comment names: by its path, new path or old path. */
export function fileOf(files: DiffFile[], path: string): DiffFile | undefined {
  return (
    files.find((f) => f.path === path) ??
    files.find((f) => f.newPath === path || f.oldPath === path)
  );
}

/** For each hunk of `file`, the line numbers it shows on `side`. */
function hunkLines(file: DiffFile, side: CommentSide): Set<number>[] {
  return file.hunks.map(
    (h) =>
      new Set(
        h.lines
          .map((l) => (side === "old" ? l.oldNo : l.newNo))
          .filter((n): n is number => n !== null),
      ),
  );
}

/** "1–9, 20–31": the ranges a side's hunks show, for messages. */
function describeRanges(sets: Set<number>[]): string {
  const ranges = sets
    .filter((s) => s.size > 0)
    .map((s) => {
      const nums = [...s];
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      return lo === hi ? `${lo}` : `${lo}–${hi}`;
    });
  return ranges.length ? ranges.join(", ") : "none";
}

/**
 * Every problem of `comments` on `diff` (empty: all point at lines the diff shows). A
 * range must lie within one hunk. `diff` null: the request has nothing to comment on.
 */
export function checkComments(
  diff: string | null,
  comments: readonly InlineComment[],
  fallbackPath?: string,
): CommentProblem[] {
  if (comments.length === 0) return [];
  const parsed = diff === null ? null : parseDiff(diff, { fallbackPath });
  if (!parsed?.ok) {
    return [
      {
        path: "comments",
        message:
          diff === null
            ? "This request has no diff, so it takes no inline comments: use comment"
            : "This request's diff could not be read as a unified diff, so it takes no inline comments: use comment",
      },
    ];
  }
  const problems: CommentProblem[] = [];
  comments.forEach((c, i) => {
    const file = fileOf(parsed.files, c.file_path);
    if (!file) {
      const names = parsed.files.map((f) => f.path).join(", ");
      problems.push({
        path: `comments.${i}.file_path`,
        message: `${c.file_path} is not a file of this diff (its files: ${names})`,
      });
      return;
    }
    const problem = lineProblem(file, c);
    if (problem)
      problems.push({ path: `comments.${i}.${problem.field}`, message: problem.message });
  });
  return problems;
}

/** Why `c` does not point at lines `file`'s hunks show (null: it does). */
export function lineProblem(
  file: DiffFile,
  c: Pick<InlineComment, "file_path" | "side" | "line" | "end_line">,
): { field: "line" | "end_line"; message: string } | null {
  const sets = hunkLines(file, c.side);
  const end = c.end_line ?? c.line;
  if (end < c.line)
    return { field: "end_line", message: `end_line ${end} comes before line ${c.line}` };
  const hunk = sets.findIndex((s) => s.has(c.line));
  if (hunk < 0) {
    return {
      field: "line",
      message: `${c.file_path} has no ${c.side} line ${c.line} in this diff's hunks (${c.side} lines shown: ${describeRanges(sets)})`,
    };
  }
  if (!sets[hunk]!.has(end)) {
    return {
      field: "end_line",
      message: `${c.file_path}: ${c.side} lines ${c.line}–${end} are not all in one hunk of this diff (${c.side} lines shown: ${describeRanges(sets)})`,
    };
  }
  return null;
}

/** "src/a.ts:12-14 (new)": where a comment points. */
export function commentPlace(c: InlineComment): string {
  const end = c.end_line && c.end_line !== c.line ? `-${c.end_line}` : "";
  return `${c.file_path}:${c.line}${end} (${c.side})`;
}

/** One line per comment, "src/a.ts:12 (new): rename this"; later lines of a body indented. */
export function formatComments(comments: readonly InlineComment[]): string {
  return comments.map((c) => `- ${commentPlace(c)}: ${c.body.replace(/\n/g, "\n    ")}`).join("\n");
}

/**
 * The reviewer's feedback as one text for a model: the overall comment, then the inline
 * comments (old = the line as it was, new = the line as the change makes it).
 */
export function feedbackText(
  comment: string | null,
  comments: readonly InlineComment[] | null | undefined,
): string {
  const parts: string[] = [];
  if (comment) parts.push(comment);
  if (comments?.length) {
    parts.push(
      `Inline comments (file:line (side), where "new" is a line of your change and "old" a line as it was before):\n${formatComments(comments)}`,
    );
  }
  return parts.join("\n\n");
}

/** Comments on one file, by side and line, in line order (for showing them inline). */
export function commentsOnFile<C extends InlineComment>(
  comments: readonly C[],
  file: DiffFile,
): C[] {
  return comments
    .filter((c) => fileOf([file], c.file_path) === file)
    .sort((x, y) => (x.end_line ?? x.line) - (y.end_line ?? y.line));
}
