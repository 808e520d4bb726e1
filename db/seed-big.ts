/**
 * Opt-in large diffs for `NEXUS_SEED_BIG=1 npm run db:seed` and the e2e server: a
 * realistic many-file, many-hunk diff of `lines` diff lines (no database code).
 */
export function bigDiff(lines: number): string {
  const perHunk = 50; // 25 removed + 25 added
  const hunksPerFile = 10;
  const files = Math.max(1, Math.ceil(lines / (perHunk * hunksPerFile)));
  const parts: string[] = [];
  let written = 0;
  for (let file = 0; file < files && written < lines; file++) {
    parts.push(
      `diff --git a/src/generated/module-${file}.ts b/src/generated/module-${file}.ts\n`,
      `index 1111111..2222222 100644\n`,
      `--- a/src/generated/module-${file}.ts\n+++ b/src/generated/module-${file}.ts\n`,
    );
    for (let h = 0; h < hunksPerFile && written < lines; h++) {
      const pairs = Math.min(perHunk / 2, Math.floor((lines - written) / 2)) || 1;
      const start = h * 100 + 1;
      parts.push(`@@ -${start},${pairs} +${start},${pairs} @@ export function block${h}() {\n`);
      for (let i = 0; i < pairs; i++) {
        parts.push(`-  const value${i} = compute(${file}, ${h}, ${i}); // old\n`);
        parts.push(`+  const value${i} = computeFast(${file}, ${h}, ${i}); // new\n`);
      }
      written += pairs * 2;
    }
  }
  return parts.join("");
}

/** Fixed ids of the edge-case requests, so tests can open them directly. */
export const EDGE_CASE_IDS = {
  diff20k: "00000000-0000-4000-8000-000000020000",
  diff200k: "00000000-0000-4000-8000-000000200000",
  xssApproval: "00000000-0000-4000-8000-00000000a551",
  xssQuestion: "00000000-0000-4000-8000-00000000b551",
  notADiff: "00000000-0000-4000-8000-00000000d1ff",
} as const;

export const XSS = {
  path: `src/<img src=x onerror="window.__xss=1">.ts`,
  description: `<script>window.__xss=2</script> Sanitise <b>bold</b> input`,
  line: `<script>window.__xss=3</script>`,
  question: `<img src=x onerror="window.__xss=4"> Which escaping do we use?`,
  context: {
    html: `<script>window.__xss=5</script>`,
    "<b>key</b>": [`<svg onload="window.__xss=6">`],
  },
} as const;

/** The edge-case requests (already decided, so they stay out of the inbox). */
export function edgeCaseApprovals() {
  return [
    {
      id: EDGE_CASE_IDS.diff20k,
      filePath: "src/generated/module-0.ts",
      description: "Regenerate the API client (20,000 diff lines across 40 files).",
      diff: bigDiff(20_000),
    },
    {
      id: EDGE_CASE_IDS.diff200k,
      filePath: "src/generated/module-0.ts",
      description: "Regenerate everything (200,000 diff lines).",
      diff: bigDiff(200_000),
    },
    {
      id: EDGE_CASE_IDS.xssApproval,
      filePath: XSS.path,
      description: XSS.description,
      diff: `--- a/${XSS.path}\n+++ b/${XSS.path}\n@@ -1,2 +1,2 @@\n const title = "x";\n-${XSS.line}\n+<img src=x onerror="window.__xss=7">\n`,
    },
    {
      id: EDGE_CASE_IDS.notADiff,
      filePath: "notes.txt",
      description: "An agent sent prose instead of a diff.",
      diff: "I changed the retry logic to back off exponentially.\nPlease take a look.\n",
    },
  ];
}
