import { describe, expect, it } from "vitest";
import { highlightFile, highlightHunks, type Segment } from "@/lib/diff/highlight";
import { parseDiff, type DiffFile } from "@/lib/diff/parse";

function firstFile(text: string): DiffFile {
  const parsed = parseDiff(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.files[0]!;
}

const text = (line: Segment[]) => line.map((s) => s[0]).join("");
const classOf = (line: Segment[], part: string) => line.find((s) => s[0] === part)?.[1];

const file = firstFile(`--- a/src/x.ts
+++ b/src/x.ts
@@ -1,4 +1,4 @@
 const a = 1;
-const total = sum(items, "old");
+const total = sum(items, "new");
 /* a comment
  over two lines */
@@ -40,2 +40,2 @@ fn() {
-return 42;
+throw new Error("no");
 done();
`);

describe("highlightFile", () => {
  it("keeps every line's text, in diff order, hunk by hunk", async () => {
    const h = await highlightFile(file, Infinity);
    expect(h.lines).toBe(file.lineCount);
    expect(h.hunks.map((hunk) => hunk.map(text))).toEqual(
      file.hunks.map((hunk) => hunk.lines.map((l) => l.text)),
    );
  });

  it("colours tokens by the file's language, across line breaks inside a comment", async () => {
    const [first] = (await highlightFile(file, Infinity)).hunks;
    expect(classOf(first![0]!, "const")).toBe("hl-k");
    expect(classOf(first![0]!, "1")).toBe("hl-n");
    // the comment's second line is still a comment: each side is highlighted as one text
    expect(first![4]!.every((s) => s[1] === "hl-c")).toBe(true);
  });

  it("marks the changed words of a removed/added pair, not the unchanged ones", async () => {
    const [first] = (await highlightFile(file, Infinity)).hunks;
    const removed = first![1]!;
    const added = first![2]!;
    expect(removed.filter((s) => s[1].includes("hl-w")).map((s) => s[0])).toEqual(["old"]);
    expect(added.filter((s) => s[1].includes("hl-w")).map((s) => s[0])).toEqual(["new"]);
    expect(classOf(added, "new")).toBe("hl-s hl-w");
    // a pair with little in common is not marked word by word
    const [, second] = (await highlightFile(file, Infinity)).hunks;
    expect(second!.flat().some((s) => s[1].includes("hl-w"))).toBe(false);
  });

  it("covers only the first `limit` lines, and extends a hunk at a time", async () => {
    const h = await highlightFile(file, 3);
    expect(h.lines).toBe(3);
    expect(h.hunks).toHaveLength(1);
    expect(h.hunks[0]).toHaveLength(3);
    const rest = highlightHunks(file, "typescript", Infinity, 1);
    expect(rest).toHaveLength(1);
    expect(rest[0]!.map(text)).toEqual(["return 42;", 'throw new Error("no");', "done();"]);
  });

  it("leaves unknown languages as plain text, never as HTML", async () => {
    const plain = firstFile(
      `--- a/notes.unknown\n+++ b/notes.unknown\n@@ -1 +1 @@\n-<b>x</b>\n+<i>y</i>\n`,
    );
    const h = await highlightFile(plain, Infinity);
    expect(h.hunks[0]!.map(text)).toEqual(["<b>x</b>", "<i>y</i>"]);
    // no colour classes (changed-word marks only)
    expect(h.hunks[0]!.flat().every((s) => s[1] === "" || s[1] === "hl-w")).toBe(true);
  });
});
