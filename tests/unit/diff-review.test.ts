import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseDiff } from "@/lib/diff/parse";
import { reviewDiff, type HunkChoice, type HunkEdit } from "@/lib/diff/review";
import { GitRepo } from "../helpers/git-repo";

/*
 * applied_diff proven with the real git: the accepted (and edited) subset of a diff made by
 * `git diff` must pass `git apply --check` and `git apply` on the base, and give exactly the
 * content built independently (the base with the accepted changes made by hand).
 */

const repos: GitRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
const repo = (base: Record<string, string>) => {
  const r = new GitRepo(base);
  repos.push(r);
  return r;
};

const numbered = (n: number, prefix = "line") =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);
const text = (lines: string[], eol = true) => lines.join("\n") + (eol && lines.length ? "\n" : "");

function review(diff: string, choices: HunkChoice[] = [], edits: HunkEdit[] = []) {
  const outcome = reviewDiff(diff, choices, edits);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.review;
}

/** a.txt: 40 lines with changes at 2, 12, 22 and 38 (four hunks, first and last at the ends). */
function fourHunks() {
  const base = numbered(40);
  const next = [...base];
  next[1] = "CHANGED 2";
  next[11] = "CHANGED 12";
  next.splice(22, 0, "INSERTED after 22");
  next[next.length - 3] = "CHANGED 38";
  return { base, next };
}

describe("reviewDiff with git apply", () => {
  it("leaves out the first and last hunks and shifts the later hunks' new numbers", () => {
    const { base, next } = fourHunks();
    const r = repo({ "a.txt": text(base), "b.txt": text(numbered(10, "b")) });
    const diff = r.diffTo({ "a.txt": text(next), "b.txt": text(["b new", ...numbered(10, "b")]) });
    const files = parseDiff(diff);
    expect(files.ok && files.files[0]!.hunks).toHaveLength(4);
    const result = review(diff, [
      { file: "a.txt", index: 0, accepted: false, note: "keep line 2" },
      { file: "a.txt", index: 3, accepted: false },
      { file: "b.txt", index: 0, accepted: false },
    ]);
    expect(result.accepted).toBe(2);
    expect(result.total).toBe(5);
    expect(result.hunks.map((h) => [h.file, h.index, h.accepted, h.note])).toEqual([
      ["a.txt", 0, false, "keep line 2"],
      ["a.txt", 1, true, null],
      ["a.txt", 2, true, null],
      ["a.txt", 3, false, null],
      ["b.txt", 0, false, null],
    ]);
    // b.txt has no accepted hunk: not in the diff at all
    expect(result.appliedDiff).not.toContain("b.txt");
    r.apply(result.appliedDiff);
    const expected = [...base];
    expected[11] = "CHANGED 12";
    expected.splice(22, 0, "INSERTED after 22");
    expect(r.read("a.txt")).toBe(text(expected));
    expect(r.read("b.txt")).toBe(text(numbered(10, "b")));
  });

  it("keeps adjacent hunks apart and applies only the second of them", () => {
    const base = numbered(30);
    const next = [...base];
    next[4] = "X5"; // hunk 0: lines 2..8
    next[12] = "X13"; // seven unchanged lines later: its own hunk, 10..16, right after
    next[20] = "X21";
    const r = repo({ "f.txt": text(base) });
    const diff = r.diffTo({ "f.txt": text(next) });
    const result = review(diff, [
      { file: "f.txt", index: 0, accepted: false },
      { file: "f.txt", index: 2, accepted: false },
    ]);
    expect(result.total).toBe(3);
    r.apply(result.appliedDiff);
    const expected = [...base];
    expected[12] = "X13";
    expect(r.read("f.txt")).toBe(text(expected));
  });

  it("adds, deletes and renames files as decided, header lines as they were", () => {
    const r = repo({
      "keep.txt": text(numbered(12)),
      "gone.txt": text(numbered(5, "gone")),
      "old-name.txt": text(numbered(20, "r")),
    });
    const renamed = numbered(20, "r");
    renamed[9] = "r ten";
    const diff = r.diffTo({
      "keep.txt": text(["first", ...numbered(12)]),
      "gone.txt": null,
      "old-name.txt": null,
      "new-name.txt": text(renamed),
      "dir/new.txt": text(["brand", "new"]),
    });
    expect(diff).toContain("rename from old-name.txt");
    const result = review(diff, [{ file: "keep.txt", index: 0, accepted: false }]);
    expect(result.appliedDiff).toContain("rename from old-name.txt");
    expect(result.appliedDiff).toContain("new file mode 100644");
    expect(result.appliedDiff).toContain("deleted file mode 100644");
    r.apply(result.appliedDiff);
    expect(r.read("keep.txt")).toBe(text(numbered(12)));
    expect(r.read("gone.txt")).toBeNull();
    expect(r.read("old-name.txt")).toBeNull();
    expect(r.read("new-name.txt")).toBe(text(renamed));
    expect(r.read("dir/new.txt")).toBe("brand\nnew\n");
  });

  it("drops a rejected new file and a rejected deletion", () => {
    const r = repo({ "gone.txt": "a\nb\n", "stay.txt": text(numbered(5)) });
    const diff = r.diffTo({ "gone.txt": null, "added.txt": "x\n", "stay.txt": text(numbered(6)) });
    const result = review(diff, [
      { file: "gone.txt", index: 0, accepted: false },
      { file: "added.txt", index: 0, accepted: false },
    ]);
    expect(result.appliedDiff).not.toMatch(/gone\.txt|added\.txt/);
    r.apply(result.appliedDiff);
    expect(r.read("gone.txt")).toBe("a\nb\n");
    expect(r.read("added.txt")).toBeNull();
    expect(r.read("stay.txt")).toBe(text(numbered(6)));
  });

  it("keeps '\\ No newline at end of file' on both sides", () => {
    const r = repo({ "n.txt": text(numbered(20), false), "m.txt": "one\ntwo" });
    const next = numbered(20);
    next[2] = "three!";
    next[19] = "twenty!";
    const diff = r.diffTo({ "n.txt": text(next, false), "m.txt": "one\ntwo\n" });
    expect(diff).toContain("\\ No newline at end of file");
    const result = review(diff, [{ file: "n.txt", index: 0, accepted: false }]);
    r.apply(result.appliedDiff);
    const expected = numbered(20);
    expected[19] = "twenty!";
    expect(r.read("n.txt")).toBe(text(expected, false));
    expect(r.read("m.txt")).toBe("one\ntwo\n");
  });

  it("applies an edited hunk: the reviewer's new side, counts recomputed, later hunks shifted", () => {
    const { base, next } = fourHunks();
    const r = repo({ "a.txt": text(base) });
    const diff = r.diffTo({ "a.txt": text(next) });
    const parsed = parseDiff(diff);
    if (!parsed.ok) throw new Error(parsed.reason);
    const hunk1 = parsed.files[0]!.hunks[1]!; // lines 9..15, 12 changed
    expect(hunk1.oldStart).toBe(9);
    // the reviewer rewrites line 12 and adds two lines after line 13
    const edited = [
      "line 9",
      "line 10",
      "line 11",
      "REVIEWED 12",
      "line 13",
      "extra a",
      "extra b",
      "line 14",
      "line 15",
    ].join("\n");
    const result = review(
      diff,
      [{ file: "a.txt", index: 0, accepted: false }],
      [{ file: "a.txt", index: 1, new_text: edited }],
    );
    expect(result.edited).toBe(true);
    expect(result.hunks[1]!.edited).toBe(true);
    expect(result.hunks[2]!.edited).toBe(false);
    r.apply(result.appliedDiff);
    const expected = [...base];
    expected.splice(8, 7, ...edited.split("\n"));
    expected.splice(24, 0, "INSERTED after 22"); // 22 + the two extra lines
    expected[expected.length - 3] = "CHANGED 38";
    expect(r.read("a.txt")).toBe(text(expected));
  });

  it("edits the last hunk of a file without a final newline, and a new file", () => {
    const r = repo({ "n.txt": text(numbered(10), false) });
    const next = numbered(10);
    next[9] = "ten";
    const diff = r.diffTo({ "n.txt": text(next, false), "new.txt": "a\nb\n" });
    const result = review(
      diff,
      [],
      [
        { file: "n.txt", index: 0, new_text: "line 7\nline 8\nline 9\nTEN\n" },
        { file: "new.txt", index: 0, new_text: "a\nB\nc" },
      ],
    );
    r.apply(result.appliedDiff);
    expect(r.read("n.txt")).toBe(text([...numbered(9), "TEN"], false));
    expect(r.read("new.txt")).toBe("a\nB\nc\n");
  });

  it("an edit back to the old side applies nothing for that hunk", () => {
    const r = repo({ "f.txt": text(numbered(5)) });
    const diff = r.diffTo({ "f.txt": text(["x", ...numbered(5)]) });
    const result = review(diff, [], [{ file: "f.txt", index: 0, new_text: text(numbered(3)) }]);
    expect(result.accepted).toBe(1);
    expect(result.appliedDiff).toBe("");
  });

  it("names the hunks that do not exist and the contradictions", () => {
    const r = repo({ "f.txt": text(numbered(5)) });
    const diff = r.diffTo({ "f.txt": text(["x", ...numbered(5)]) });
    const outcome = reviewDiff(
      diff,
      [
        { file: "f.txt", index: 3, accepted: true },
        { file: "nope.txt", index: 0, accepted: false },
        { file: "f.txt", index: 0, accepted: false },
      ],
      [{ file: "f.txt", index: 0, new_text: "y" }],
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual([
      { path: "hunks.0", message: 'The file "f.txt" has no hunk 3 (its hunks are 0–0)' },
      { path: "hunks.1", message: 'The diff has no file "nope.txt" (its files: "f.txt")' },
      {
        path: "edits.0",
        message: 'Hunk 0 of "f.txt" is rejected: only an accepted hunk can be edited',
      },
    ]);
  });

  it("accepting everything gives back a diff that applies to the same result", () => {
    const { base, next } = fourHunks();
    const r = repo({ "a.txt": text(base) });
    const diff = r.diffTo({ "a.txt": text(next) });
    const result = review(diff);
    expect(result.accepted).toBe(4);
    r.apply(result.appliedDiff);
    expect(r.read("a.txt")).toBe(text(next));
  });
});

/* ---- Property: any accepted subset, any edits, on generated files ------------------- */

interface Change {
  /** first base line replaced (0-based) */
  at: number;
  /** how many base lines it removes */
  remove: number;
  /** the lines put there */
  insert: string[];
}

/** A base file and changes separated by ≥ 7 unchanged lines: with 3 lines of context, one hunk each. */
const fileCase = fc
  .record({
    size: fc.integer({ min: 1, max: 60 }),
    eol: fc.boolean(),
    raw: fc.array(
      fc.record({
        gap: fc.integer({ min: 7, max: 14 }),
        remove: fc.integer({ min: 0, max: 3 }),
        insert: fc.array(fc.constantFrom("alpha", "beta", "gamma", "", "  indented"), {
          maxLength: 3,
        }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ size, eol, raw }) => {
    const base = numbered(size);
    const changes: Change[] = [];
    let at = raw[0]!.gap - 7; // the first change may touch line 1
    for (const c of raw) {
      const remove = Math.min(c.remove, size - at);
      if (at > size || (remove === 0 && c.insert.length === 0)) break;
      const insert = c.insert.map((t, i) => `${t} ${at}.${i}`);
      const next = at + remove + c.gap;
      // without a final newline, git also rewrites the last line kept before a change at
      // the end (it gains or loses its newline): model the change as git shows it
      if (!eol && at > 0 && at + remove === size && (remove === 0 || insert.length === 0)) {
        changes.push({ at: at - 1, remove: remove + 1, insert: [base[at - 1]!, ...insert] });
      } else changes.push({ at, remove, insert });
      at = next;
    }
    return { base, eol, changes };
  })
  .filter((c) => c.changes.length > 0);

function applyChanges(base: string[], changes: Change[]): string[] {
  const out = [...base];
  for (const c of [...changes].reverse()) out.splice(c.at, c.remove, ...c.insert);
  return out;
}

/** git's lines without a final newline: an empty result has none either way */
const fileText = (lines: string[], eol: boolean) => text(lines, eol);

describe("reviewDiff property", () => {
  it("git apply of applied_diff == the base with the accepted (and edited) changes", () => {
    fc.assert(
      fc.property(
        fileCase,
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.array(fc.option(fc.constantFrom("EDITED", "", "EDITED twice"), { nil: null }), {
          minLength: 5,
          maxLength: 5,
        }),
        ({ base, eol, changes }, accept, editTo) => {
          const next = applyChanges(base, changes);
          const r = new GitRepo({ "f.txt": fileText(base, eol) });
          try {
            const diff = r.diffTo({ "f.txt": fileText(next, eol) });
            const parsed = parseDiff(diff);
            if (!parsed.ok) throw new Error(parsed.reason);
            // a change at the end of a file without a final newline may rewrite the line
            // before it: it stays one hunk per change
            expect(parsed.files[0]!.hunks).toHaveLength(changes.length);
            const choices: HunkChoice[] = changes.map((_, i) => ({
              file: "f.txt",
              index: i,
              accepted: accept[i]!,
            }));
            const edits: HunkEdit[] = [];
            const expectedChanges: Change[] = [];
            changes.forEach((c, i) => {
              if (!accept[i]) return;
              const edit = editTo[i];
              // an edit replaces the hunk's new side: the change plus 3 lines of context
              const from = Math.max(0, c.at - 3);
              const to = Math.min(base.length, c.at + c.remove + 3);
              if (edit === null || edit === undefined) return expectedChanges.push(c);
              const lines = [
                ...base.slice(from, c.at),
                ...(edit === "" ? [] : [`${edit} ${i}`]),
                ...base.slice(c.at + c.remove, to),
              ];
              edits.push({ file: "f.txt", index: i, new_text: lines.join("\n") });
              expectedChanges.push({ at: from, remove: to - from, insert: lines });
            });
            const outcome = reviewDiff(diff, choices, edits);
            if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
            const expected = applyChanges(base, expectedChanges);
            if (outcome.review.appliedDiff !== "") r.apply(outcome.review.appliedDiff);
            expect(r.read("f.txt")).toBe(fileText(expected, eol));
          } finally {
            r.remove();
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
