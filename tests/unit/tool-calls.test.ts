import { describe, expect, test } from "vitest";
import { parseDiff } from "@/lib/diff/parse";
import { commandOf, deriveToolCall, diffNote, mcpToolOf, verdictOf } from "@/lib/domain/tool-calls";
import { hookAnswer } from "@/lib/integrations/claude-code";

/* What a reviewer sees of a tool call, and what the agent is told back. */

describe("deriveToolCall", () => {
  test("Edit: a diff of the snippet, the path relative to cwd in its header", () => {
    const d = deriveToolCall(
      "Edit",
      {
        file_path: "/p/src/a.ts",
        old_string: "a\nb\nc",
        new_string: "a\nB\nc",
        replace_all: false,
      },
      { cwd: "/p" },
    );
    expect(d.filePath).toBe("/p/src/a.ts");
    expect(d.title).toBe("/p/src/a.ts");
    expect(d.diff).toBe("--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    const parsed = parseDiff(d.diff!);
    expect(parsed.ok).toBe(true);
  });

  test("MultiEdit: one hunk per edit in one file", () => {
    const d = deriveToolCall("MultiEdit", {
      file_path: "/x/f.py",
      edits: [
        { old_string: "x = 1", new_string: "x = 2" },
        { old_string: "y = 1", new_string: "y = 3" },
        { nonsense: true },
      ],
    });
    expect(d.diff).toBe(
      "--- a/x/f.py\n+++ b/x/f.py\n@@ -1,1 +1,1 @@\n-x = 1\n+x = 2\n@@ -1,1 +1,1 @@\n-y = 1\n+y = 3\n",
    );
    expect(parseDiff(d.diff!).ok).toBe(true);
  });

  test("Write: every line added, from /dev/null", () => {
    const d = deriveToolCall(
      "Write",
      { file_path: "/p/n.txt", content: "one\ntwo" },
      { cwd: "/p/" },
    );
    expect(d.diff).toBe("--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    expect(deriveToolCall("Write", { file_path: "/p/e.txt", content: "" }).diff).toBeNull();
  });

  test("NotebookEdit: the new source; a delete has no diff", () => {
    const d = deriveToolCall("NotebookEdit", {
      notebook_path: "/p/n.ipynb",
      cell_id: "c1",
      new_source: "print(1)",
    });
    expect(d.filePath).toBe("/p/n.ipynb");
    expect(d.diff).toContain("+print(1)");
    const del = deriveToolCall("NotebookEdit", {
      notebook_path: "/p/n.ipynb",
      cell_id: "c1",
      new_source: "",
      edit_mode: "delete",
    });
    expect(del.diff).toBeNull();
  });

  test("Bash: the title is the command's first line, the description kept", () => {
    const d = deriveToolCall("Bash", { command: "\n  ls -la\nrm -rf x", description: " List " });
    expect(d.title).toBe("ls -la …");
    expect(d.description).toBe("List");
    expect(d.diff).toBeNull();
    expect(commandOf({ toolName: "Bash", toolInput: { command: "ls" } })).toBe("ls");
    expect(commandOf({ toolName: "Read", toolInput: { command: "ls" } })).toBeNull();
    expect(deriveToolCall("Bash", { command: "x".repeat(400) }).title).toHaveLength(302);
  });

  test("other tools and malformed inputs: the tool's name, no diff", () => {
    expect(deriveToolCall("mcp__db__query", { sql: "select 1" })).toEqual({
      title: "mcp__db__query",
      filePath: null,
      diff: null,
      description: null,
    });
    expect(deriveToolCall("Edit", { file_path: 3 }).diff).toBeNull();
    expect(deriveToolCall("Edit", { file_path: "/a", old_string: "x" }).diff).toBeNull();
    expect(mcpToolOf("mcp__db__run_query")).toEqual({ server: "db", tool: "run_query" });
    expect(mcpToolOf("Bash")).toBeNull();
  });

  test("an exact diff from the agent wins", () => {
    const exact = "--- a/f\n+++ b/f\n@@ -10 +10 @@\n-a\n+b\n";
    const d = deriveToolCall(
      "Edit",
      { file_path: "/f", old_string: "a", new_string: "b" },
      { exactDiff: exact },
    );
    expect(d.diff).toBe(exact);
  });

  test("the note says where line numbers or old content are unknown", () => {
    const input = { file_path: "/f", old_string: "a", new_string: "b", replace_all: true };
    expect(diffNote({ toolName: "Edit", diffExact: false, toolInput: input })).toMatch(
      /count from the start of each snippet.*every occurrence/,
    );
    expect(diffNote({ toolName: "Write", diffExact: false, toolInput: {} })).toMatch(
      /old content is unknown/,
    );
    expect(diffNote({ toolName: "Edit", diffExact: true, toolInput: input })).toBeNull();
  });
});

describe("verdicts and hook answers", () => {
  const row = {
    approved: null as boolean | null,
    comment: null as string | null,
    decidedBy: null as string | null,
    updatedInput: null as unknown,
    onTimeout: "deny",
  };

  test("approve → allow (PreToolUse and PermissionRequest), with an edited input", () => {
    const v = verdictOf({ ...row, approved: true, decidedBy: "ana@x" }, 60);
    expect(hookAnswer("PreToolUse", v)).toEqual({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "allow",
        permissionDecisionReason: "Approved in Nexus by ana@x.",
      },
    });
    const edited = verdictOf({ ...row, approved: true, updatedInput: { command: "ls" } }, 60);
    expect(hookAnswer("PermissionRequest", edited)).toEqual({
      hookSpecificOutput: {
        hookEventName: "PermissionRequest",
        decision: { behavior: "allow", updatedInput: { command: "ls" } },
      },
    });
  });

  test("reject → deny with the comment", () => {
    const v = verdictOf({ ...row, approved: false, comment: "no" }, 60);
    expect(v).toMatchObject({ behavior: "deny", cause: "rejected" });
    expect(hookAnswer("PermissionRequest", v)).toEqual({
      hookSpecificOutput: {
        hookEventName: "PermissionRequest",
        decision: { behavior: "deny", message: "Rejected by the reviewer: no" },
      },
    });
  });

  test("nobody answered → deny naming the wait, or ask", () => {
    expect(verdictOf(row, 590)).toEqual({
      behavior: "deny",
      reason: "No reviewer answered within 590 s.",
      cause: "expired",
    });
    const ask = verdictOf({ ...row, onTimeout: "ask" }, 5);
    expect(hookAnswer("PreToolUse", ask).hookSpecificOutput).toMatchObject({
      permissionDecision: "ask",
    });
    expect(hookAnswer("PermissionRequest", ask)).toEqual({});
  });
});
