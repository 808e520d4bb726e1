/*
 * The compact form of a highlighted line that the server sends to the browser: the
 * line's text stays in the diff, and its colours travel as runs, "<length><code>" for
 * each piece ("5k1_9s": 5 characters of keyword, 1 plain, 9 of string). Codes: a
 * lowercase letter per colour class (`hl-<letter>` in app/globals.css), "_" for plain
 * text; uppercase (and "W" for plain) when the piece is a changed word (`hl-w`).
 * No dependencies, so the browser's part of the page does not pull in the highlighter.
 */

/** A piece of a line: its text and its CSS classes ("" for plain text). */
export type Segment = [text: string, classes: string];

/** The CSS classes of a run code. */
export function classesOf(code: string): string {
  if (code === "_") return "";
  if (code === "W") return "hl-w";
  const lower = code.toLowerCase();
  return lower === code ? `hl-${code}` : `hl-${lower} hl-w`;
}

/** `text` cut into its runs' pieces, with their classes; any rest of the text plain. */
export function decodeRuns(text: string, runs: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [, length, code] of runs.matchAll(/(\d+)(\D)/g)) {
    const end = at + Number(length);
    out.push([text.slice(at, end), classesOf(code!)]);
    at = end;
  }
  if (at < text.length) out.push([text.slice(at), ""]);
  return out;
}
