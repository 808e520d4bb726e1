import { applyPatch, createTwoFilesPatch } from "diff";
import { describe, expect, it } from "vitest";
import { GAP_TEXT, interdiff, MAX_RECONSTRUCTED_LINE } from "@/lib/diff/interdiff";
import { parseDiff } from "@/lib/diff/parse";

const lines = (n: number, tag = "line") => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`);
const text = (ls: string[]) => `${ls.join("\n")}\n`;
const patch = (path: string, from: string[], to: string[]) =>
  createTwoFilesPatch(`a/${path}`, `b/${path}`, text(from), text(to), "", "", { context: 3 });

/** `base` with line `no` (1-based) replaced by `by` (several lines, or none). */
const replaced = (base: string[], no: number, ...by: string[]) => [
  ...base.slice(0, no - 1),
  ...by,
  ...base.slice(no),
];

describe("interdiff between the resulting files", () => {
  const base = lines(100);

  it("shows only what changed between two revisions made against the same file", () => {
    const v1 = replaced(replaced(base, 10, "ten v1"), 80, "eighty");
    const v2 = replaced(replaced(base, 10, "ten v2"), 80, "eighty");
    const result = interdiff(patch("src/a.ts", base, v1), patch("src/a.ts", base, v2));
    expect(result.mode).toBe("files");
    const parsed = parseDiff(result.diff);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]!.path).toBe("src/a.ts");
    expect(parsed.files[0]!.hunks).toHaveLength(1);
    const changed = parsed.files[0]!.hunks[0]!.lines.filter((l) => l.kind !== "context");
    expect(changed.map((l) => [l.kind, l.oldNo ?? l.newNo, l.text])).toEqual([
      ["del", 10, "ten v1"],
      ["add", 10, "ten v2"],
    ]);
    // the same hunk's change in both revisions is no change at all
    expect(result.diff).not.toContain("eighty");
    expect(applyPatch(text(v1), result.diff)).toBe(text(v2));
  });

  it("is empty when both revisions produce the same files", () => {
    const v = replaced(base, 50, "fifty");
    const first = patch("x.ts", base, v);
    // same result, different context width: still the same files
    const second = createTwoFilesPatch("a/x.ts", "b/x.ts", text(base), text(v), "", "", {
      context: 1,
    });
    expect(interdiff(first, second)).toEqual({ mode: "files", diff: "" });
  });

  it("keeps real line numbers when a revision adds lines above a later change", () => {
    const v1 = replaced(base, 60, "sixty v1");
    const v2 = replaced(replaced(base, 60, "sixty v2"), 5, "five", "five and a half");
    const result = interdiff(patch("a.txt", base, v1), patch("a.txt", base, v2));
    expect(result.mode).toBe("files");
    expect(result.diff).toContain("@@ -57,7 +58,7 @@");
    expect(applyPatch(text(v1), result.diff)).toBe(text(v2));
  });

  it("a file only one revision changes shows that revision's change (or its undoing)", () => {
    const other = lines(20, "other");
    const v1 = replaced(base, 3, "three");
    const first = patch("a.txt", base, v1) + patch("b.txt", other, replaced(other, 7, "seven"));
    const second = patch("a.txt", base, v1);
    const result = interdiff(first, second);
    expect(result.mode).toBe("files");
    const parsed = parseDiff(result.diff);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.files.map((f) => f.path)).toEqual(["b.txt"]);
    expect(result.diff).toContain("-seven\n+other 7\n");
  });

  it("new and deleted files", () => {
    const created = (content: string[]) =>
      patch("new.ts", [], content).replace("a/new.ts", "/dev/null");
    const result = interdiff(created(["a", "b"]), created(["a", "B", "c"]));
    expect(result.mode).toBe("files");
    expect(result.diff).toContain("-b\n+B\n+c\n");

    const deleting = createTwoFilesPatch("a/gone.ts", "/dev/null", text(lines(4)), "");
    const editing = patch("gone.ts", lines(4), replaced(lines(4), 2, "two"));
    const d = interdiff(editing, deleting);
    expect(d.mode).toBe("files");
    expect(d.diff).toContain("+++ /dev/null");
  });

  it("a line neither diff shows, inside a hunk of the interdiff, is marked as such", () => {
    const v1 = replaced(base, 10, "ten v1");
    const v2 = replaced(base, 14, "fourteen v2"); // lines 7..17 are all shown by one or the other
    const result = interdiff(patch("a.txt", base, v1), patch("a.txt", base, v2));
    expect(result.mode).toBe("files");
    expect(result.diff).toContain("-ten v1\n+line 10\n");
    expect(result.diff).toContain("-line 14\n+fourteen v2\n");
    expect(result.diff).not.toContain(GAP_TEXT); // 7..17 are all shown by one or the other
    // diffs with one line of context: 10±1 and 14±1 leave line 12 unknown, inside the hunk
    const narrow = (to: string[]) =>
      createTwoFilesPatch("a/a.txt", "b/a.txt", text(base), text(to), "", "", { context: 1 });
    const far = interdiff(
      narrow(replaced(base, 10, "ten")),
      narrow(replaced(base, 14, "fourteen")),
    );
    expect(far.diff).toContain(` ${GAP_TEXT}\n`);
    expect(far.diff).not.toContain("\u0000");
  });
});

describe("interdiff between the diffs' texts", () => {
  it("when the revisions were made against different contents of a file", () => {
    const base = lines(30);
    const rebased = replaced(base, 12, "changed upstream");
    const first = patch("a.txt", base, replaced(base, 11, "eleven"));
    const second = patch("a.txt", rebased, replaced(rebased, 11, "eleven"));
    const result = interdiff(first, second, { labels: ["revision 1", "revision 2"] });
    expect(result.mode).toBe("text");
    if (result.mode !== "text") return;
    expect(result.reason).toMatch(/different contents of a\.txt \(line 12\)/);
    expect(result.diff).toContain("--- revision 1.diff");
    expect(result.diff).toContain("+++ revision 2.diff");
    expect(result.diff).toContain("+ changed upstream");
    expect(parseDiff(result.diff).ok).toBe(true);
  });

  it("when a revision is not a diff, and never throws on anything", () => {
    const good = patch("a.txt", lines(5), replaced(lines(5), 1, "one"));
    const result = interdiff("this is not a diff", good, { labels: ["revision 1", "revision 2"] });
    expect(result.mode).toBe("text");
    if (result.mode === "text") expect(result.reason).toMatch(/revision 1 is not a diff/);
    for (const [a, b] of [
      ["", ""],
      ["@@ -1 +1 @@\n-a\n+b\n", "@@ -1 +1 @@\n-a\n+c\n"],
      [good, good.replace("@@ -1,4 +1,4 @@", "@@ -9999999,4 +9999999,4 @@")],
      ["Binary files a/x.png and b/x.png differ\n", good],
    ] as const) {
      expect(() => interdiff(a, b, { fallbackPath: "f.txt" })).not.toThrow();
    }
  });

  it("a bare hunk uses the request's file_path", () => {
    const result = interdiff("@@ -1 +1 @@\n-a\n+b\n", "@@ -1 +1 @@\n-a\n+c\n", {
      fallbackPath: "f.txt",
    });
    expect(result).toEqual({
      mode: "files",
      diff: "--- a/f.txt\n+++ b/f.txt\n@@ -1,1 +1,1 @@\n-b\n+c\n",
    });
  });

  it("falls back to the texts past the longest file it rebuilds", () => {
    const far = MAX_RECONSTRUCTED_LINE + 10;
    const at = (t: string) => `--- a/x\n+++ b/x\n@@ -${far},1 +${far},1 @@\n-a\n+${t}\n`;
    const result = interdiff(at("b"), at("c"));
    expect(result.mode).toBe("text");
  });
});

describe("interdiff on generated revisions (property)", () => {
  // a small deterministic generator: the same cases on every run
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const edit = (base: string[], tag: string) => {
    let out = [...base];
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e++) {
      const at = 1 + Math.floor(random() * out.length);
      const op = Math.floor(random() * 3);
      if (op === 0) out = replaced(out, at, `${tag} changed ${e}`);
      else if (op === 1) out = replaced(out, at);
      else out = replaced(out, at, out[at - 1]!, `${tag} added ${e}`);
    }
    return out;
  };

  it("applying the interdiff to the first result gives the second, whenever it has no placeholder", () => {
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const base = lines(40 + Math.floor(random() * 80));
      const v1 = edit(base, "one");
      const v2 = edit(base, "two");
      // edits that undo each other leave no diff to submit
      if (text(v1) === text(base) || text(v2) === text(base)) continue;
      const result = interdiff(patch("f.txt", base, v1), patch("f.txt", base, v2));
      expect(result.mode === "text" ? result.reason : "files").toBe("files");
      if (result.diff.includes(GAP_TEXT)) continue;
      if (result.diff === "") {
        expect(v1).toEqual(v2);
        continue;
      }
      expect(applyPatch(text(v1), result.diff)).toBe(text(v2));
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
