import { diffWordsWithSpace } from "diff";
import type { Element, Root, RootContent } from "hast";
import { refractor, type Syntax } from "refractor/core";
import { languageForPath } from "./language";
import { LIMITS, startsCollapsed } from "./limits";
import type { DiffFile, DiffLine } from "./parse";

/*
 * Syntax highlighting and word-level change marks for a file's diff lines, as data the
 * diff table renders (components/diff/static-diff.tsx): each line becomes segments of
 * text with CSS classes. Pure and the same on both sides: the review page computes the
 * lines it shows first on the server (no highlighter in the page's first scripts, no
 * work during hydration); lines shown later ("Show more", files past the server's
 * budget) are computed in the browser, a hunk at a time between frames.
 *
 * Each hunk's old side (context + removed lines) and new side (context + added lines)
 * is highlighted as one text, so a string or comment spanning lines keeps its colour.
 * A removed line and the added line paired with it (the k-th of each in a change
 * block, as the split view pairs them) get the changed words marked, unless they share
 * too little to be worth it.
 */

/** A piece of a line: its text and its CSS classes ("" for plain text). */
export type Segment = [text: string, classes: string];

/** Segments per shown line, by hunk then line (the first `lines` diff lines of the file). */
export interface FileHighlight {
  /** the diff lines covered, counted like the table's `limit` */
  lines: number;
  hunks: Segment[][][];
}

type Loader = () => Promise<{ default: Syntax }>;

// A static map, so bundlers split each grammar into its own chunk, fetched when a file
// of that language is shown. The names are lib/diff/language.ts's.
const LOADERS: Record<string, Loader> = {
  bash: () => import("refractor/bash"),
  c: () => import("refractor/c"),
  cpp: () => import("refractor/cpp"),
  csharp: () => import("refractor/csharp"),
  css: () => import("refractor/css"),
  go: () => import("refractor/go"),
  ini: () => import("refractor/ini"),
  java: () => import("refractor/java"),
  javascript: () => import("refractor/javascript"),
  json: () => import("refractor/json"),
  kotlin: () => import("refractor/kotlin"),
  less: () => import("refractor/less"),
  lua: () => import("refractor/lua"),
  makefile: () => import("refractor/makefile"),
  markdown: () => import("refractor/markdown"),
  markup: () => import("refractor/markup"),
  perl: () => import("refractor/perl"),
  php: () => import("refractor/php"),
  python: () => import("refractor/python"),
  r: () => import("refractor/r"),
  ruby: () => import("refractor/ruby"),
  rust: () => import("refractor/rust"),
  sass: () => import("refractor/sass"),
  scss: () => import("refractor/scss"),
  sql: () => import("refractor/sql"),
  swift: () => import("refractor/swift"),
  typescript: () => import("refractor/typescript"),
  yaml: () => import("refractor/yaml"),
};

/** The grammar for `path`, loaded and registered; null when none (plain text). */
export async function grammarFor(path: string): Promise<string | null> {
  const language = languageForPath(path);
  if (!language || !LOADERS[language]) return null;
  if (!refractor.registered(language)) refractor.register((await LOADERS[language]()).default);
  return language;
}

/*
 * Prism token types → a few colour classes (app/globals.css, `.hl-*`, light and dark).
 * Types not listed take their parent's colour.
 */
const COLOUR: Record<string, string> = {
  keyword: "hl-k",
  boolean: "hl-n",
  number: "hl-n",
  constant: "hl-n",
  symbol: "hl-n",
  string: "hl-s",
  char: "hl-s",
  regex: "hl-s",
  "template-string": "hl-s",
  "attr-value": "hl-s",
  url: "hl-s",
  comment: "hl-c",
  prolog: "hl-c",
  doctype: "hl-c",
  cdata: "hl-c",
  function: "hl-f",
  "class-name": "hl-t",
  builtin: "hl-t",
  tag: "hl-g",
  selector: "hl-g",
  "attr-name": "hl-v",
  property: "hl-v",
  variable: "hl-v",
  parameter: "hl-v",
  atrule: "hl-k",
  important: "hl-k",
  deleted: "hl-k",
  inserted: "hl-g",
};

/** One text highlighted → its lines, each a list of [text, colour class]. */
function tokenLines(text: string, language: string | null): Segment[][] {
  const lines: Segment[][] = [[]];
  const push = (value: string, cls: string) => {
    const parts = value.split("\n");
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1]!.push([part, cls]);
    });
  };
  if (!language) {
    push(text, "");
    return lines;
  }
  const walk = (nodes: RootContent[], cls: string) => {
    for (const node of nodes) {
      if (node.type === "text") push(node.value, cls);
      else if (node.type === "element") {
        const names = (node as Element).properties.className;
        const types = Array.isArray(names) ? names.map(String) : [];
        const own = types.map((t) => COLOUR[t]).find(Boolean);
        walk(node.children, own ?? cls);
      }
    }
  };
  const root: Root = refractor.highlight(text, language);
  walk(root.children, "");
  return lines;
}

/** [start, end) character ranges of `line` that differ from its partner. */
type Ranges = [number, number][];

/** Changed-word ranges of a removed/added pair; none when they share under 40 %. */
function changedRanges(before: string, after: string): [Ranges, Ranges] {
  const parts = diffWordsWithSpace(before, after);
  const oldRanges: Ranges = [];
  const newRanges: Ranges = [];
  let o = 0;
  let n = 0;
  let same = 0;
  for (const part of parts) {
    const len = part.value.length;
    if (part.removed) {
      oldRanges.push([o, o + len]);
      o += len;
    } else if (part.added) {
      newRanges.push([n, n + len]);
      n += len;
    } else {
      same += len;
      o += len;
      n += len;
    }
  }
  if (same < 0.4 * Math.max(before.length, after.length)) return [[], []];
  return [oldRanges, newRanges];
}

/** Split a line's segments at the changed ranges and add the `hl-w` class inside them. */
function markRanges(segments: Segment[], ranges: Ranges, mark: string): Segment[] {
  if (ranges.length === 0) return segments;
  const out: Segment[] = [];
  let at = 0;
  for (const [text, cls] of segments) {
    const end = at + text.length;
    let from = at;
    for (const [rs, re] of ranges) {
      if (re <= from || rs >= end) continue;
      const s = Math.max(rs, from);
      const e = Math.min(re, end);
      if (s > from) out.push([text.slice(from - at, s - at), cls]);
      out.push([text.slice(s - at, e - at), cls ? `${cls} ${mark}` : mark]);
      from = e;
    }
    if (from < end) out.push([text.slice(from - at), cls]);
    at = end;
  }
  return out;
}

/** One hunk's lines → segments per line. */
function highlightHunk(lines: DiffLine[], language: string | null): Segment[][] {
  const oldSide: string[] = [];
  const newSide: string[] = [];
  for (const line of lines) {
    if (line.kind !== "add") oldSide.push(line.text);
    if (line.kind !== "del") newSide.push(line.text);
  }
  const oldTokens = tokenLines(oldSide.join("\n"), language);
  const newTokens = tokenLines(newSide.join("\n"), language);
  const out: Segment[][] = [];
  let o = 0;
  let n = 0;
  for (let i = 0; i < lines.length;) {
    if (lines[i]!.kind === "context") {
      out.push(newTokens[n] ?? []);
      o++;
      n++;
      i++;
      continue;
    }
    // a change block: removed lines, then added lines; the k-th of each are a pair
    const start = i;
    while (i < lines.length && lines[i]!.kind === "del") i++;
    const dels = i - start;
    while (i < lines.length && lines[i]!.kind === "add") i++;
    const adds = i - start - dels;
    const delSegs: Segment[][] = [];
    const addSegs: Segment[][] = [];
    for (let k = 0; k < dels; k++) delSegs.push(oldTokens[o + k] ?? []);
    for (let k = 0; k < adds; k++) addSegs.push(newTokens[n + k] ?? []);
    for (let k = 0; k < Math.min(dels, adds); k++) {
      const [oldR, newR] = changedRanges(lines[start + k]!.text, lines[start + dels + k]!.text);
      delSegs[k] = markRanges(delSegs[k]!, oldR, "hl-w");
      addSegs[k] = markRanges(addSegs[k]!, newR, "hl-w");
    }
    out.push(...delSegs, ...addSegs);
    o += dels;
    n += adds;
  }
  return out;
}

/**
 * Segments for the first `limit` diff lines of `file`, from hunk `from` on (to extend an
 * earlier result a hunk at a time). The grammar must be loaded (grammarFor).
 */
export function highlightHunks(
  file: DiffFile,
  language: string | null,
  limit: number,
  from = 0,
  to = file.hunks.length,
): Segment[][][] {
  const out: Segment[][][] = [];
  let shown = 0;
  for (let h = 0; h < file.hunks.length && h < to && shown < limit; h++) {
    const lines = file.hunks[h]!.lines.slice(0, limit - shown);
    shown += lines.length;
    if (h >= from) out.push(highlightHunk(lines, language));
  }
  return out;
}

/** Segments for the first `limit` diff lines of `file` (loads the grammar). */
export async function highlightFile(file: DiffFile, limit: number): Promise<FileHighlight> {
  const language = await grammarFor(file.path);
  return { lines: Math.min(limit, file.lineCount), hunks: highlightHunks(file, language, limit) };
}

/**
 * What the server highlights for the page's first view: the initial window of each file
 * that does not start collapsed, in order, while fewer than `serverHighlightLines` lines
 * are done; null for the others (the browser highlights them when they are shown).
 */
export async function initialHighlights(files: DiffFile[]): Promise<(FileHighlight | null)[]> {
  const out: (FileHighlight | null)[] = [];
  let done = 0;
  for (const [i, file] of files.entries()) {
    if (done >= LIMITS.serverHighlightLines || startsCollapsed(i, file.lineCount)) {
      out.push(null);
      continue;
    }
    const h = await highlightFile(file, LIMITS.initialLines);
    done += h.lines;
    out.push(h);
  }
  return out;
}
