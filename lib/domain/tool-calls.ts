import { applyPatch, structuredPatch } from "diff";
import { feedbackText, type InlineComment } from "@/lib/diff/comments";
import { reviewDiff, type HunkChoice, type HunkEdit } from "@/lib/diff/review";
export { ON_TIMEOUT, type OnTimeout } from "./kinds";

/*
 * What a reviewer is shown of a coding agent's tool call, derived from the tool's name
 * and input as the agent sent them (Claude Code's tool inputs): a one-line title, the
 * edited file and a unified diff for edits, the agent's description of a command.
 *
 * Claude Code sends only the edited snippet (Edit: old_string → new_string) or the new
 * content (Write), never the rest of the file, so a derived diff's line numbers count
 * from the start of the snippet, and a Write's old content is unknown. `diffNote` says
 * so; an exact diff computed beside the files (`nexus-agent claude-hook`) has none.
 */

export type ToolInput = Record<string, unknown>;

export interface ToolCallDerived {
  /** one line for lists: the file, the command's first line, or the tool's name */
  title: string;
  filePath: string | null;
  diff: string | null;
  description: string | null;
}

const TITLE_CHARS = 300;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function oneLine(text: string): string {
  const first = text.split("\n").find((l) => l.trim() !== "") ?? text;
  const trimmed = first.trim();
  const cut = [...trimmed];
  const more = cut.length > TITLE_CHARS || text.trim() !== trimmed;
  return cut.slice(0, TITLE_CHARS).join("") + (more ? " …" : "");
}

/** A path as the diff's header shows it: relative to the session's folder when inside it. */
function headerPath(filePath: string, cwd: string | null): string {
  if (cwd) {
    const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
    if (filePath.startsWith(base)) return filePath.slice(base.length);
  }
  return filePath.replace(/^\/+/, "");
}

/** Lines end with a newline, so that a snippet is not marked "no newline at end of file". */
const withNewline = (s: string) => (s === "" || s.endsWith("\n") ? s : `${s}\n`);

/** Hunks of old → new as unified diff text (numbers count from the snippet's first line). */
function hunks(oldText: string, newText: string): string[] {
  const patch = structuredPatch("a", "b", withNewline(oldText), withNewline(newText), "", "", {
    context: 3,
  });
  return patch.hunks.map((h) =>
    [
      `@@ -${h.oldLines === 0 ? 0 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? 0 : h.newStart},${h.newLines} @@`,
      ...h.lines,
    ].join("\n"),
  );
}

function fileDiff(path: string, body: string[], { added = false } = {}): string | null {
  if (body.length === 0) return null;
  return [added ? "--- /dev/null" : `--- a/${path}`, `+++ b/${path}`, ...body].join("\n") + "\n";
}

function addedLines(content: string): string[] {
  const lines = withNewline(content).split("\n").slice(0, -1);
  if (lines.length === 0) return [];
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)];
}

interface Edit {
  old_string: string;
  new_string: string;
}

const isEdit = (v: unknown): v is Edit =>
  !!v &&
  typeof v === "object" &&
  typeof (v as Edit).old_string === "string" &&
  typeof (v as Edit).new_string === "string";

/** The file and diff of an edit tool's input; nulls when the input is not one. */
function editDiff(
  toolName: string,
  input: ToolInput,
  cwd: string | null,
): { filePath: string | null; diff: string | null } {
  const none = { filePath: null, diff: null };
  if (toolName === "Edit" || toolName === "MultiEdit") {
    const filePath = str(input.file_path);
    if (!filePath) return none;
    const edits = toolName === "Edit" ? [input] : Array.isArray(input.edits) ? input.edits : [];
    const body = edits.filter(isEdit).flatMap((e) => hunks(e.old_string, e.new_string));
    return { filePath, diff: fileDiff(headerPath(filePath, cwd), body) };
  }
  if (toolName === "Write") {
    const filePath = str(input.file_path);
    const content = str(input.content);
    if (!filePath || content === null) return { filePath, diff: null };
    return {
      filePath,
      diff: fileDiff(headerPath(filePath, cwd), addedLines(content), { added: true }),
    };
  }
  if (toolName === "NotebookEdit") {
    const filePath = str(input.notebook_path);
    const source = str(input.new_source);
    if (!filePath) return none;
    if (input.edit_mode === "delete" || source === null) return { filePath, diff: null };
    return {
      filePath,
      diff: fileDiff(headerPath(filePath, cwd), addedLines(source), { added: true }),
    };
  }
  return none;
}

/** Title, file, diff and description of a tool call (`exactDiff`: sent by the agent). */
export function deriveToolCall(
  toolName: string,
  input: ToolInput,
  { cwd = null, exactDiff = null }: { cwd?: string | null; exactDiff?: string | null } = {},
): ToolCallDerived {
  const { filePath, diff } = editDiff(toolName, input, cwd);
  const command = toolName === "Bash" ? str(input.command) : null;
  const description = str(input.description)?.trim() || null;
  const title = filePath ?? (command !== null && command.trim() ? oneLine(command) : toolName);
  return { title, filePath, diff: exactDiff ?? diff, description };
}

/**
 * What the review page says about how far to trust a diff's line numbers (null: exact).
 */
export function diffNote(row: {
  toolName: string;
  diffExact: boolean | null;
  toolInput: unknown;
}): string | null {
  if (row.diffExact) return null;
  const input = (row.toolInput ?? {}) as ToolInput;
  switch (row.toolName) {
    case "Edit":
    case "MultiEdit":
      return `Claude Code sends only the replaced text, not the rest of the file: line numbers count from the start of each snippet, not of the file.${input.replace_all === true ? " replace_all: every occurrence in the file is replaced." : ""}`;
    case "Write":
      return "Claude Code sends only the new content: if the file exists, all of it is replaced and its old content is unknown here.";
    case "NotebookEdit":
      return `The cell's new source${typeof input.cell_id === "string" ? ` (cell ${input.cell_id})` : ""}, ${input.edit_mode === "insert" ? "inserted as a new cell" : "replacing the cell's old source, which is unknown here"}.`;
    default:
      return null;
  }
}

/** Bash's command, shown prominently on the review page; null for other tools. */
export function commandOf(row: { toolName: string; toolInput: unknown }): string | null {
  if (row.toolName !== "Bash") return null;
  return str((row.toolInput as ToolInput | null)?.command);
}

/** `mcp__server__tool` → { server, tool }; null for Claude Code's own tools. */
export function mcpToolOf(toolName: string): { server: string; tool: string } | null {
  const m = /^mcp__(.+?)__(.+)$/.exec(toolName);
  return m ? { server: m[1]!, tool: m[2]! } : null;
}

/* ---- Edit before approve ------------------------------------------------------------- */

/**
 * Whether a reviewer may accept part of a tool call's diff or edit it: an Edit, MultiEdit
 * or Write whose diff Nexus derived from the input, so the input can be rebuilt from the
 * decided hunks. (An exact diff is against the real file, which Nexus does not have.)
 */
export function hunksEditable(row: {
  toolName: string;
  diffExact: boolean | null;
  diff: string | null;
}): boolean {
  return (
    !row.diffExact && row.diff !== null && ["Edit", "MultiEdit", "Write"].includes(row.toolName)
  );
}

/** `text` (made with a final newline for the diff) back to the snippet's own ending. */
const endingLike = (text: string, like: string) =>
  !like.endsWith("\n") && text.endsWith("\n") ? text.slice(0, -1) : text;

/** One snippet's hunks as decided: the accepted (and edited) ones applied to `oldText`. */
function decidedText(
  oldText: string,
  diffBody: string[],
  choices: HunkChoice[],
  edits: HunkEdit[],
): string {
  const diff = fileDiff("f", diffBody, { added: oldText === "" }) ?? "";
  const outcome = reviewDiff(diff, choices, edits);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join("; "));
  if (outcome.review.appliedDiff === "") return oldText;
  const result = applyPatch(withNewline(oldText), outcome.review.appliedDiff);
  if (result === false) throw new Error("the decided hunks do not apply to the snippet");
  return result;
}

/**
 * The input a reviewer approved of an Edit, MultiEdit or Write (see hunksEditable), given
 * the decisions on its diff's hunks (by index in that diff's one file); null when it is
 * the input as sent. Each edit's hunks are applied to its own old_string (a Write's to "").
 */
export function decidedToolInput(
  toolName: string,
  input: ToolInput,
  choices: readonly HunkChoice[],
  edits: readonly HunkEdit[],
): ToolInput | null {
  if (choices.every((c) => c.accepted) && edits.length === 0) return null;
  const part = (offset: number, count: number) => ({
    choices: choices
      .filter((c) => c.index >= offset && c.index < offset + count)
      .map((c) => ({ ...c, file: "f", index: c.index - offset })),
    edits: edits
      .filter((e) => e.index >= offset && e.index < offset + count)
      .map((e) => ({ ...e, file: "f", index: e.index - offset })),
  });
  if (toolName === "Write") {
    const content = str(input.content) ?? "";
    const p = part(0, 1);
    const next = endingLike(decidedText("", addedLines(content), p.choices, p.edits), content);
    return next === content ? null : { ...input, content: next };
  }
  const list: unknown[] =
    toolName === "Edit" ? [input] : Array.isArray(input.edits) ? input.edits : [];
  let offset = 0;
  let changed = false;
  const decided = list.map((e) => {
    if (!isEdit(e)) return e;
    const body = hunks(e.old_string, e.new_string);
    const count = body.filter((l) => l.startsWith("@@")).length;
    const p = part(offset, count);
    offset += count;
    if (p.choices.every((c) => c.accepted) && p.edits.length === 0) return e;
    const rejected = new Set(p.choices.filter((c) => !c.accepted).map((c) => c.index));
    if (count > 0 && rejected.size === count) {
      changed = true;
      return null; // none of it applies
    }
    const next = endingLike(decidedText(e.old_string, body, p.choices, p.edits), e.new_string);
    if (next === e.new_string) return e;
    changed = true;
    return { ...e, new_string: next };
  });
  if (!changed) return null;
  if (toolName === "Edit") return decided[0] as ToolInput;
  // an edit whose every hunk was rejected changes nothing: leave it out
  return { ...input, edits: decided.filter((e) => e !== null) };
}

/* ---- Decisions back to the agent ------------------------------------------------------ */

/** How a tool call ended, as an agent integration answers it. */
export type ToolCallVerdict =
  | {
      behavior: "allow";
      reason: string;
      updatedInput: ToolInput | null;
      /** Claude Code permission updates granted for the session ("allow for this session") */
      updatedPermissions?: Record<string, unknown>[];
    }
  | { behavior: "deny"; reason: string; cause: "rejected" | "expired" }
  | { behavior: "ask"; reason: string };

/**
 * "Allow for this session": Claude Code's own permission_suggestions, each kept to the
 * session (`destination: "session"`) whatever it suggested (never written to its settings
 * files from here).
 */
export function sessionPermissions(
  suggestions: Record<string, unknown>[] | null | undefined,
): Record<string, unknown>[] {
  return (suggestions ?? []).map((s) => ({ ...s, destination: "session" }));
}

/** What "allow for this session" grants, in words for the review page. */
export function describeSuggestions(suggestions: Record<string, unknown>[]): string {
  return suggestions
    .map((s) => {
      if (s.type === "setMode" && typeof s.mode === "string") return `switch to ${s.mode} mode`;
      if (Array.isArray(s.rules)) {
        const rules = (s.rules as Record<string, unknown>[]).map((r) =>
          r.ruleContent ? `${String(r.toolName)}(${String(r.ruleContent)})` : String(r.toolName),
        );
        return `${String(s.behavior ?? "allow")} ${rules.join(", ")}`;
      }
      return String(s.type ?? "a permission");
    })
    .join("; ");
}

export const timeoutMessage = (seconds: number) => `No reviewer answered within ${seconds} s.`;

/** The verdict of a settled (or still pending, when the wait ran out) tool call. */
export function verdictOf(
  row: {
    approved: boolean | null;
    comment: string | null;
    decidedBy: string | null;
    updatedInput: unknown;
    onTimeout: string | null;
    /** a rule's outcome when nobody decides in time ("approve"; else denied/asked) */
    onExpiry?: string | null;
    permissionSuggestions?: Record<string, unknown>[] | null;
    allowSession?: boolean | null;
    /** the reviewer's inline comments on lines of the edit's diff */
    inlineComments?: InlineComment[] | null;
  },
  timeoutS: number,
): ToolCallVerdict {
  const rule = row.decidedBy?.startsWith("rule:") ? row.decidedBy.slice(5) : null;
  // the overall comment and the inline ones ("src/a.ts:12 (new): …"), as one text
  const feedback = feedbackText(row.comment, row.inlineComments);
  if (row.approved === true) {
    const by = row.decidedBy ? ` by ${row.decidedBy}` : "";
    const session = row.allowSession ? sessionPermissions(row.permissionSuggestions) : [];
    return {
      behavior: "allow",
      reason: feedback ? `Approved in Nexus${by}: ${feedback}` : `Approved in Nexus${by}.`,
      updatedInput: (row.updatedInput as ToolInput | null) ?? null,
      ...(session.length ? { updatedPermissions: session } : {}),
    };
  }
  if (row.approved === false && rule !== null) {
    return {
      behavior: "deny",
      reason: `Denied by the Nexus rule "${rule}": ${row.comment ?? "no reason given"}`,
      cause: "rejected",
    };
  }
  if (row.approved === false) {
    return {
      behavior: "deny",
      reason: `Rejected by the reviewer: ${feedback || "no reason given"}`,
      cause: "rejected",
    };
  }
  const message = timeoutMessage(timeoutS);
  if (row.onExpiry === "approve") {
    return {
      behavior: "allow",
      reason: `${message} Approved by the rule's on_expiry.`,
      updatedInput: null,
    };
  }
  return row.onTimeout === "ask"
    ? { behavior: "ask", reason: `${message} Asking in the terminal instead.` }
    : { behavior: "deny", reason: message, cause: "expired" };
}
