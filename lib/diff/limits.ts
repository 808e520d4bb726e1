/*
 * How much of a diff the review page renders at once. A viewer shows a file's first
 * `initialLines` diff lines and grows by `stepLines`; files over `collapseFileLines`
 * (except the first) start collapsed; past `rawTotalLines` (or `rawTotalChars`) the
 * whole diff opens as plain text, with rendering as a diff one click away.
 */
export const LIMITS = {
  initialLines: 300,
  stepLines: 2000,
  collapseFileLines: 1500,
  rawTotalLines: 50_000,
  rawTotalChars: 5_000_000,
  /** plain-text views show this many lines first, then grow by the same amount */
  rawWindowLines: 2000,
} as const;
