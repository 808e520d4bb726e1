import { describe, expect, it } from "vitest";
import { parseDiff, type DiffFile } from "@/lib/diff/parse";
import { viewerInput, type SideEntry } from "@/lib/diff/sides";

function firstFile(text: string): DiffFile {
  const parsed = parseDiff(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.files[0]!;
}

const numbers = (map: (SideEntry | undefined)[]) =>
  map.slice(1).map((e) => (e?.kind === "hunk" ? e.header : e?.no));

const file = firstFile(`--- a/x.ts
+++ b/x.ts
@@ -3,3 +3,4 @@
 c
-d
+D
+D2
 e
@@ -40,2 +41,1 @@ fn() {
-x
 y
`);

describe("viewerInput", () => {
  it("joins hunks with a header line on both sides and maps positions to real line numbers", () => {
    const input = viewerInput(file);
    expect(input.oldValue).toBe("@@ -3,3 +3,4 @@\nc\nd\ne\n@@ -40,2 +41,1 @@ fn() {\nx\ny\n");
    expect(input.newValue).toBe("@@ -3,3 +3,4 @@\nc\nD\nD2\ne\n@@ -40,2 +41,1 @@ fn() {\ny\n");
    expect(numbers(input.oldMap)).toEqual([
      "@@ -3,3 +3,4 @@",
      3,
      4,
      5,
      "@@ -40,2 +41,1 @@ fn() {",
      40,
      41,
    ]);
    expect(numbers(input.newMap)).toEqual([
      "@@ -3,3 +3,4 @@",
      3,
      4,
      5,
      6,
      "@@ -40,2 +41,1 @@ fn() {",
      41,
    ]);
    expect(input.separatorIds).toEqual(["L-1", "R-1", "L-5", "R-6"]);
    expect(input.shownLines).toBe(file.lineCount);
  });

  it("stops after `limit` diff lines", () => {
    const input = viewerInput(file, 3);
    expect(input.shownLines).toBe(3);
    expect(input.oldValue).toBe("@@ -3,3 +3,4 @@\nc\nd\n");
    expect(input.newValue).toBe("@@ -3,3 +3,4 @@\nc\nD\n");
  });

  it("gives empty sides for a file without hunks", () => {
    const pure = firstFile(
      "diff --git a/a b/b\nsimilarity index 100%\nrename from a\nrename to b\n",
    );
    expect(viewerInput(pure)).toMatchObject({ oldValue: "", newValue: "", shownLines: 0 });
  });
});
