import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { AGENT_SCRIPT } from "../helpers/nexus-agent";

/*
 * `nexus-agent claude-hook` computes the exact unified diff of what Claude Code's Edit,
 * MultiEdit and Write will do to the file on disk. Checked the way a reviewer's trust
 * needs it: `git apply --check` accepts it against the original file, and applying it
 * gives exactly the content Claude Code would write.
 */

type Hook = { tool_name: string; tool_input: Record<string, unknown> };

/** The body claude-hook would send for `hook` run in `dir` (--dry-run: nobody contacted). */
function dryRun(dir: string, hook: Hook): { nexus?: { diff: string } } {
  const r = spawnSync(process.execPath, [AGENT_SCRIPT, "claude-hook", "--dry-run"], {
    cwd: dir,
    input: JSON.stringify({
      session_id: "s",
      cwd: dir,
      hook_event_name: "PreToolUse",
      tool_use_id: "toolu_1",
      ...hook,
    }),
    encoding: "utf8",
    env: { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function git(cwd: string, ...args: string[]) {
  return spawnSync("git", args, { cwd, encoding: "utf8" });
}

/** Text as diff lines: without "\n"; a last line without one is marked (as in a diff). */
function diffLinesOf(text: string | null): string[] {
  if (!text) return [];
  const ls = text.split("\n");
  if (ls[ls.length - 1] === "") ls.pop();
  else ls[ls.length - 1] += "\n\\ No newline at end of file";
  return ls;
}

/**
 * Stricter than git apply (which accepts a hunk at an offset): every hunk's numbers
 * and counts are right, its old lines are the file's lines at those numbers, and its
 * new lines those of the result.
 */
function checkLineNumbers(diff: string, before: string | null, after: string) {
  const oldLines = diffLinesOf(before);
  const newLines = diffLinesOf(after);
  const rows = diff.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(rows[i]!);
    if (!h) continue;
    const [oldStart, oldCount, newStart, newCount] = h.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const olds: string[] = [];
    const news: string[] = [];
    for (let j = i + 1; j < rows.length && /^[ +-]/.test(rows[j]!); j++) {
      const marked = rows[j + 1] === "\\ No newline at end of file";
      const line = rows[j]!.slice(1) + (marked ? "\n\\ No newline at end of file" : "");
      if (rows[j]![0] !== "+") olds.push(line);
      if (rows[j]![0] !== "-") news.push(line);
      if (marked) j++;
    }
    expect(olds.length).toBe(oldCount);
    expect(news.length).toBe(newCount);
    expect(olds).toEqual(
      oldLines.slice(oldCount ? oldStart - 1 : oldStart, oldStart - 1 + oldCount),
    );
    expect(news).toEqual(
      newLines.slice(newCount ? newStart - 1 : newStart, newStart - 1 + newCount),
    );
    if (!oldCount) expect(oldStart).toBeLessThanOrEqual(oldLines.length);
    if (!newCount) expect(newStart).toBeLessThanOrEqual(newLines.length);
  }
}

/** Write `before` (null: no file), diff the tool call, check and apply the diff; the result. */
function roundTrip(before: string | null, tool: string, input: Record<string, unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-agent-diff-"));
  const file = path.join(dir, "src", "file.ts");
  fs.mkdirSync(path.dirname(file));
  if (before !== null) fs.writeFileSync(file, before);
  const body = dryRun(dir, { tool_name: tool, tool_input: { file_path: file, ...input } });
  const diff = body.nexus?.diff;
  if (diff === undefined) return { diff: undefined, after: undefined };
  const patch = path.join(dir, "..", `${path.basename(dir)}.patch`);
  fs.writeFileSync(patch, diff);
  const check = git(dir, "apply", "--check", patch);
  expect(check.status, `${check.stderr}\n${diff}`).toBe(0);
  const apply = git(dir, "apply", patch);
  expect(apply.status, apply.stderr).toBe(0);
  const after = fs.readFileSync(file, "utf8");
  checkLineNumbers(diff, before, after);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(patch, { force: true });
  return { diff, after };
}

const lines = (n: number, f = (i: number) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => f(i + 1) + "\n").join("");

describe("nexus-agent claude-hook: the exact diff of an edit", () => {
  test("Edit once: real line numbers, 3 lines of context", () => {
    const before = lines(20);
    const { diff, after } = roundTrip(before, "Edit", {
      old_string: "line 10\n",
      new_string: "line ten\nline ten and a half\n",
    });
    expect(after).toBe(before.replace("line 10\n", "line ten\nline ten and a half\n"));
    expect(diff).toBe(
      [
        "diff --git a/src/file.ts b/src/file.ts",
        "--- a/src/file.ts",
        "+++ b/src/file.ts",
        "@@ -7,7 +7,8 @@",
        " line 7",
        " line 8",
        " line 9",
        "-line 10",
        "+line ten",
        "+line ten and a half",
        " line 11",
        " line 12",
        " line 13",
        "",
      ].join("\n"),
    );
  });

  test("Edit with replace_all: every occurrence, one hunk each when far apart", () => {
    const before = lines(40, (i) => (i % 15 === 0 ? "const port = 3000;" : `x${i}`));
    const { diff, after } = roundTrip(before, "Edit", {
      old_string: "3000",
      new_string: "8080",
      replace_all: true,
    });
    expect(after).toBe(before.split("3000").join("8080"));
    expect(diff!.match(/^@@ /gm)).toHaveLength(2);
    expect(diff).toContain("@@ -12,7 +12,7 @@");
    expect(diff).toContain("@@ -27,7 +27,7 @@");
  });

  test("Edit once when old_string occurs twice (Claude Code refuses it) or not at all: no diff", () => {
    expect(roundTrip("a\na\n", "Edit", { old_string: "a", new_string: "b" }).diff).toBeUndefined();
    expect(roundTrip("a\n", "Edit", { old_string: "zz", new_string: "b" }).diff).toBeUndefined();
  });

  test("Edit keeps $ patterns literal (no String.replace specials)", () => {
    const { after } = roundTrip("price = 1\n", "Edit", {
      old_string: "1",
      new_string: "$& $1 $$",
    });
    expect(after).toBe("price = $& $1 $$\n");
  });

  test("Edit in a CRLF file: matched as LF text, written back with CRLF (as Claude Code does)", () => {
    const { after } = roundTrip("a\r\nb\r\nc\r\n", "Edit", {
      old_string: "a\nb",
      new_string: "A\nB",
    });
    expect(after).toBe("A\r\nB\r\nc\r\n");
  });

  test("Write a new file: /dev/null, new file mode, @@ -0,0", () => {
    const { diff, after } = roundTrip(null, "Write", { content: "hello\nworld\n" });
    expect(after).toBe("hello\nworld\n");
    expect(diff).toBe(
      [
        "diff --git a/src/file.ts b/src/file.ts",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/src/file.ts",
        "@@ -0,0 +1,2 @@",
        "+hello",
        "+world",
        "",
      ].join("\n"),
    );
  });

  test("Write over an existing file: only the changed lines, missing final newline marked", () => {
    const before = lines(12);
    const content = before.replace("line 3\n", "line three\n").replace(/line 12\n$/, "end");
    const { diff, after } = roundTrip(before, "Write", { content });
    expect(after).toBe(content);
    expect(diff).toContain("\\ No newline at end of file");
    expect(diff!.match(/^@@ /gm)).toHaveLength(2);
  });

  test("MultiEdit: the edits applied in order, each to the result of the one before", () => {
    const before = lines(30);
    const edits = [
      { old_string: "line 2\n", new_string: "line two\n" },
      { old_string: "line two\nline 3", new_string: "line 2+3" },
      { old_string: "line 2", new_string: "L2", replace_all: true },
    ];
    const { after } = roundTrip(before, "MultiEdit", { edits });
    let expected = before;
    expected = expected.replace("line 2\n", "line two\n");
    expected = expected.replace("line two\nline 3", "line 2+3");
    expected = expected.split("line 2").join("L2");
    expect(after).toBe(expected);
  });

  test("other tools carry no diff", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-agent-diff-"));
    expect(dryRun(dir, { tool_name: "Bash", tool_input: { command: "ls" } }).nexus).toBeUndefined();
  });

  test("property: any Write over any file gives a diff that applies to exactly the new content", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "c", "", "  x", "é", "a\r"), { maxLength: 30 })
      .chain((ls) =>
        fc.boolean().map((finalNewline) => ls.join("\n") + (finalNewline && ls.length ? "\n" : "")),
      );
    fc.assert(
      fc.property(text, text, (before, content) => {
        fc.pre(before !== content);
        const { after } = roundTrip(before, "Write", { content });
        expect(after).toBe(content);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
