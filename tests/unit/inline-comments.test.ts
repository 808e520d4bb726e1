import { describe, expect, it } from "vitest";
import { checkComments, feedbackText, formatComments } from "@/lib/diff/comments";

const diff = `--- a/src/a.ts
+++ b/src/a.ts
@@ -10,4 +10,5 @@
 ten
-eleven
+ELEVEN
+eleven and a half
 twelve
 thirteen
@@ -40,2 +41,2 @@
-forty
+FORTY
 forty-one
`;

const c = (over: Partial<Parameters<typeof checkComments>[1][number]>) => ({
  file_path: "src/a.ts",
  side: "new" as const,
  line: 11,
  body: "rename",
  ...over,
});

describe("checkComments", () => {
  it("accepts lines and ranges each side's hunks show", () => {
    expect(
      checkComments(diff, [
        c({}),
        c({ side: "old", line: 11 }),
        c({ line: 10, end_line: 14 }),
        c({ side: "old", line: 40, end_line: 41 }),
        c({ line: 42 }),
      ]),
    ).toEqual([]);
  });

  it("names a line the file's hunks do not show, with the lines they do", () => {
    expect(checkComments(diff, [c({ line: 20 })])).toEqual([
      {
        path: "comments.0.line",
        message: "src/a.ts has no new line 20 in this diff's hunks (new lines shown: 10–14, 41–42)",
      },
    ]);
    // old line 14 does not exist (the first hunk shows old 10–13)
    expect(checkComments(diff, [c({}), c({ side: "old", line: 14 })])[0]?.path).toBe(
      "comments.1.line",
    );
  });

  it("refuses a range across hunks, a backwards range and an unknown file", () => {
    expect(checkComments(diff, [c({ line: 12, end_line: 41 })])[0]).toMatchObject({
      path: "comments.0.end_line",
      message: expect.stringContaining("not all in one hunk"),
    });
    expect(checkComments(diff, [c({ line: 12, end_line: 11 })])[0]?.message).toBe(
      "end_line 11 comes before line 12",
    );
    expect(checkComments(diff, [c({ file_path: "src/b.ts" })])[0]).toEqual({
      path: "comments.0.file_path",
      message: "src/b.ts is not a file of this diff (its files: src/a.ts)",
    });
  });

  it("a request without a readable diff takes no inline comments", () => {
    expect(checkComments(null, [c({})])[0]?.message).toMatch(/has no diff/);
    expect(checkComments("just words", [c({})])[0]?.message).toMatch(/could not be read/);
    expect(checkComments(null, [])).toEqual([]);
  });

  it("a bare hunk's file is the request's file_path", () => {
    expect(
      checkComments("@@ -1 +1 @@\n-a\n+b\n", [c({ file_path: "f.txt", line: 1 })], "f.txt"),
    ).toEqual([]);
  });
});

describe("feedback text for a model", () => {
  it("one line per comment with file, line or range, and side", () => {
    expect(
      formatComments([
        c({ body: "rename this" }),
        c({ side: "old", line: 40, end_line: 41, body: "keep these\nboth of them" }),
      ]),
    ).toBe(
      "- src/a.ts:11 (new): rename this\n- src/a.ts:40-41 (old): keep these\n    both of them",
    );
  });

  it("the overall comment first, then the inline comments; either may be missing", () => {
    const text = feedbackText("Close, but not yet.", [c({ body: "rename this" })]);
    expect(text.startsWith("Close, but not yet.\n\nInline comments")).toBe(true);
    expect(text).toContain("- src/a.ts:11 (new): rename this");
    expect(feedbackText(null, [c({ body: "x" })])).toMatch(/^Inline comments/);
    expect(feedbackText("Only this.", null)).toBe("Only this.");
    expect(feedbackText(null, [])).toBe("");
  });
});
