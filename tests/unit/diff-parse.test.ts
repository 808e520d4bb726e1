import { describe, expect, it } from "vitest";
import { bigDiff } from "@/db/seed-big";
import { languageForPath } from "@/lib/diff/language";
import { parseDiff, type DiffFile, type ParsedDiff } from "@/lib/diff/parse";

function files(result: ParsedDiff): DiffFile[] {
  if (!result.ok) throw new Error(`expected a parsed diff, got: ${result.reason}`);
  return result.files;
}

/** [kind, oldNo, newNo, text] per line: compact expectations. */
const rows = (f: DiffFile, hunk = 0) =>
  f.hunks[hunk]!.lines.map((l) => [l.kind, l.oldNo, l.newNo, l.text] as const);

const twoFiles = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,4 +1,5 @@
 one
-two
+TWO
+two and a half
 three
 four
@@ -20,3 +21,2 @@ function later() {
 twenty
-twenty-one
 twenty-two
diff --git a/src/b.ts b/src/b.ts
index 3333333..4444444 100644
--- a/src/b.ts
+++ b/src/b.ts
@@ -5,2 +5,3 @@
 five
+five and a half
 six
`;

describe("parseDiff", () => {
  it("splits a multi-file, multi-hunk diff with correct old and new numbers per side", () => {
    const result = parseDiff(twoFiles);
    const [a, b] = files(result);
    expect(files(result)).toHaveLength(2);
    expect(a!.path).toBe("src/a.ts");
    expect(a!.status).toBe("modified");
    expect(a!.hunks).toHaveLength(2);
    expect(rows(a!, 0)).toEqual([
      ["context", 1, 1, "one"],
      ["del", 2, null, "two"],
      ["add", null, 2, "TWO"],
      ["add", null, 3, "two and a half"],
      ["context", 3, 4, "three"],
      ["context", 4, 5, "four"],
    ]);
    // second hunk: newStart (21) differs from oldStart (20)
    expect(rows(a!, 1)).toEqual([
      ["context", 20, 21, "twenty"],
      ["del", 21, null, "twenty-one"],
      ["context", 22, 22, "twenty-two"],
    ]);
    expect(a!.hunks[1]!.header).toBe("@@ -20,3 +21,2 @@ function later() {");
    expect(a!.hunks[1]!.section).toBe("function later() {");
    expect(a!.additions).toBe(2);
    expect(a!.deletions).toBe(2);
    expect(b!.path).toBe("src/b.ts");
    expect(rows(b!)).toEqual([
      ["context", 5, 5, "five"],
      ["add", null, 6, "five and a half"],
      ["context", 6, 7, "six"],
    ]);
    expect(result).toMatchObject({ ok: true, additions: 3, deletions: 2, lineCount: 12 });
  });

  it("reads a new file from /dev/null: no old path, new lines numbered from 1", () => {
    const [f] = files(
      parseDiff(`diff --git a/db/m.sql b/db/m.sql
new file mode 100644
index 0000000..5d1e2f0
--- /dev/null
+++ b/db/m.sql
@@ -0,0 +1,2 @@
+CREATE INDEX a;
+CREATE INDEX b;
`),
    );
    expect(f).toMatchObject({
      status: "added",
      oldPath: null,
      newPath: "db/m.sql",
      newMode: "100644",
    });
    expect(f!.hunks[0]).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 });
    expect(rows(f!)).toEqual([
      ["add", null, 1, "CREATE INDEX a;"],
      ["add", null, 2, "CREATE INDEX b;"],
    ]);
  });

  it("reads a new file without git headers (plain --- /dev/null)", () => {
    const [f] = files(parseDiff("--- /dev/null\n+++ b/x.txt\n@@ -0,0 +1 @@\n+hello\n"));
    expect(f).toMatchObject({ status: "added", path: "x.txt", oldPath: null });
    expect(rows(f!)).toEqual([["add", null, 1, "hello"]]);
  });

  it("reads a deleted file: path is the old path, old lines numbered", () => {
    const [f] = files(
      parseDiff(`diff --git a/old/gone.py b/old/gone.py
deleted file mode 100644
index 5d1e2f0..0000000
--- a/old/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-import os
-print(os.getcwd())
`),
    );
    expect(f).toMatchObject({ status: "deleted", path: "old/gone.py", newPath: null });
    expect(rows(f!)).toEqual([
      ["del", 1, null, "import os"],
      ["del", 2, null, "print(os.getcwd())"],
    ]);
  });

  it("reads a rename with similarity, with and without content changes", () => {
    const result = parseDiff(`diff --git a/lib/old.ts b/lib/new.ts
similarity index 91%
rename from lib/old.ts
rename to lib/new.ts
index 1111111..2222222 100644
--- a/lib/old.ts
+++ b/lib/new.ts
@@ -7,2 +7,2 @@ export {
-  a,
+  b,
 };
diff --git a/docs/x.md b/docs/y.md
similarity index 100%
rename from docs/x.md
rename to docs/y.md
`);
    const [changed, pure] = files(result);
    expect(changed).toMatchObject({
      status: "renamed",
      oldPath: "lib/old.ts",
      newPath: "lib/new.ts",
      path: "lib/new.ts",
      similarity: 91,
    });
    expect(rows(changed!)).toEqual([
      ["del", 7, null, "  a,"],
      ["add", null, 7, "  b,"],
      ["context", 8, 8, "};"],
    ]);
    expect(pure).toMatchObject({
      status: "renamed",
      oldPath: "docs/x.md",
      newPath: "docs/y.md",
      similarity: 100,
      hunks: [],
    });
  });

  it('marks the line before "\\ No newline at end of file" and does not count the marker', () => {
    const [f] = files(
      parseDiff(`--- a/f.txt
+++ b/f.txt
@@ -1,2 +1,2 @@
 keep
-old end
\\ No newline at end of file
+new end
\\ No newline at end of file
`),
    );
    const lines = f!.hunks[0]!.lines;
    expect(lines.map((l) => [l.kind, l.oldNo, l.newNo, l.noNewline])).toEqual([
      ["context", 1, 1, false],
      ["del", 2, null, true],
      ["add", null, 2, true],
    ]);
    expect(f!.lineCount).toBe(3);
  });

  it("normalises CRLF line endings and says so", () => {
    const result = parseDiff("--- a/w.txt\r\n+++ b/w.txt\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n");
    expect(result).toMatchObject({ ok: true, crlf: true });
    const [f] = files(result);
    expect(f!.path).toBe("w.txt");
    expect(rows(f!)).toEqual([
      ["context", 1, 1, "a"],
      ["del", 2, null, "b"],
      ["add", null, 2, "c"],
    ]);
  });

  it("reads a hunk header with no counts (@@ -3 +3 @@) as one line each", () => {
    const [f] = files(parseDiff("--- a/n.txt\n+++ b/n.txt\n@@ -3 +3 @@\n-x\n+y\n"));
    expect(f!.hunks[0]).toMatchObject({ oldStart: 3, oldLines: 1, newStart: 3, newLines: 1 });
    expect(f!.hunks[0]!.header).toBe("@@ -3 +3 @@");
    expect(rows(f!)).toEqual([
      ["del", 3, null, "x"],
      ["add", null, 3, "y"],
    ]);
  });

  it("reports binary files without hunks", () => {
    const [f] = files(
      parseDiff(`diff --git a/logo.png b/logo.png
index 1111111..2222222 100644
Binary files a/logo.png and b/logo.png differ
`),
    );
    expect(f).toMatchObject({ path: "logo.png", binary: true, hunks: [], lineCount: 0 });
  });

  it("uses the fallback path for a bare hunk without file headers", () => {
    const [f] = files(parseDiff("@@ -1 +1 @@\n-a\n+b\n", { fallbackPath: "src/x.ts" }));
    expect(f).toMatchObject({ path: "src/x.ts", status: "modified" });
    expect(rows(f!)).toEqual([
      ["del", 1, null, "a"],
      ["add", null, 1, "b"],
    ]);
  });

  it("keeps XSS payloads as plain text in paths and lines", () => {
    const payload = `<img src=x onerror="alert(1)">`;
    const [f] = files(
      parseDiff(
        `--- a/${payload}\n+++ b/${payload}\n@@ -1 +1 @@\n-${payload}\n+<script>alert(2)</script>\n`,
      ),
    );
    expect(f!.path).toBe(payload);
    expect(f!.hunks[0]!.lines[1]!.text).toBe("<script>alert(2)</script>");
  });

  it.each([
    ["plain prose", "hello world\nthis is not a diff\n"],
    ["an empty string", ""],
    ["whitespace", "  \n\n"],
    ["JSON", '{"diff": "nope"}'],
  ])("returns a not-a-diff result for %s, never throwing", (_name, text) => {
    const result = parseDiff(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.text).toBe(text);
      expect(result.reason).toMatch(/not a unified diff|empty/);
    }
  });

  it("recounts hunk headers whose counts do not match their lines (common in generated diffs)", () => {
    // the first header claims 5/9 lines; its body has 3/6
    const result = parseDiff(`--- a/web/button.css
+++ b/web/button.css
@@ -4,5 +4,9 @@ .button {
   border-radius: 6px;
-  outline: none;
 }
+
+.button:focus-visible {
+  outline: 2px solid;
+}
@@ -30,1 +34,1 @@
-a
+b
`);
    expect(result).toMatchObject({ ok: true, repairedHunks: 1 });
    const [f] = files(result);
    expect(f!.hunks[0]!.header).toBe("@@ -4,3 +4,6 @@ .button {");
    expect(rows(f!, 0).map(([k, o, n]) => [k, o, n])).toEqual([
      ["context", 4, 4],
      ["del", 5, null],
      ["context", 6, 5],
      ["add", null, 6],
      ["add", null, 7],
      ["add", null, 8],
      ["add", null, 9],
    ]);
    expect(rows(f!, 1)).toEqual([
      ["del", 30, null, "a"],
      ["add", null, 34, "b"],
    ]);
  });

  it("returns the parse error when a hunk holds a line that is not diff syntax", () => {
    const result = parseDiff("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n?? weird\n b\n c\n");
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/could not be parsed/),
    });
  });

  it("returns a not-a-diff result for a garbage @@ line", () => {
    expect(parseDiff("@@ whatever @@\nstuff\n").ok).toBe(false);
  });

  it("parses a 20,000-line diff in well under a second", () => {
    const text = bigDiff(20_000);
    const started = performance.now();
    const result = parseDiff(text);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: true, lineCount: 20_000 });
    expect(files(result)).toHaveLength(40);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe("languageForPath", () => {
  it.each([
    ["src/a.ts", "typescript"],
    ["web/App.TSX", "typescript"],
    ["x/main.go", "go"],
    ["Makefile", "makefile"],
    ["db/m.sql", "sql"],
    ["README", undefined],
    ["weird.unknownext", undefined],
  ])("%s → %s", (path, language) => {
    expect(languageForPath(path)).toBe(language);
  });
});

describe("the demo seed's diffs", () => {
  it("parse without recounting (their hunk headers match their lines)", async () => {
    const { demoApprovals } = await import("@/db/seed-data");
    for (const a of demoApprovals) {
      expect(parseDiff(a.diff, { fallbackPath: a.filePath }), a.filePath).toMatchObject({
        ok: true,
        repairedHunks: 0,
      });
    }
  });
});
