/*
 * How much of a diff the review page renders at once. A viewer shows a file's first
 * `initialLines` diff lines and grows by `stepLines`; files over `collapseFileLines`
 * (except the first) start collapsed; past `rawTotalLines` (or `rawTotalChars`) the
 * whole diff opens as plain text, with rendering as a diff one click away. The server
 * highlights the first `serverHighlightLines` lines the page opens with (whole initial
 * windows of the files that are not collapsed, in order); the browser highlights the rest
 * when it is shown.
 */
export const LIMITS = {
  initialLines: 300,
  stepLines: 2000,
  collapseFileLines: 1500,
  rawTotalLines: 50_000,
  rawTotalChars: 5_000_000,
  /** plain-text views show this many lines first, then grow by the same amount */
  rawWindowLines: 2000,
  serverHighlightLines: 600,
} as const;

/** Past these sizes the review page opens the diff as plain text. */
export function opensAsText(lineCount: number, chars: number): boolean {
  return lineCount > LIMITS.rawTotalLines || chars > LIMITS.rawTotalChars;
}

/** Files that start collapsed: over `collapseFileLines`, except the first. */
export function startsCollapsed(index: number, lineCount: number): boolean {
  return index > 0 && lineCount > LIMITS.collapseFileLines;
}
