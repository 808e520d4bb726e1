/*
 * A line-by-line reader of plain SQL dumps (pg_dump's and PGlite's): splits the text
 * into statements, COPY … FROM stdin data blocks and psql meta-commands, so a dump can
 * be replayed through a database driver without psql, in constant memory.
 * Pure: feed it lines, it hands back items.
 */

export type ScriptItem =
  | { type: "statement"; sql: string; line: number }
  | { type: "meta"; command: string; line: number }
  | { type: "copy-start"; sql: string; line: number }
  | { type: "copy-data"; rows: string[] }
  | { type: "copy-end" };

type Mode =
  | { kind: "normal" }
  | { kind: "single"; escapes: boolean }
  | { kind: "double" }
  | { kind: "dollar"; tag: string }
  | { kind: "block"; depth: number };

const COPY_FROM_STDIN = /^\s*COPY\s[\s\S]*\sFROM\s+stdin\b/i;
const IDENT_CHAR = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export class SqlScriptReader {
  private buffer = "";
  private mode: Mode = { kind: "normal" };
  private inCopy = false;
  private copyRows: string[] = [];
  private lineNo = 0;
  private startLine = 0;

  constructor(private readonly copyBatchRows = 1000) {}

  /** Feed one line (without its line break). */
  line(text: string): ScriptItem[] {
    this.lineNo++;
    const out: ScriptItem[] = [];
    if (this.inCopy) {
      if (text === "\\.") {
        if (this.copyRows.length) out.push({ type: "copy-data", rows: this.copyRows });
        this.copyRows = [];
        this.inCopy = false;
        out.push({ type: "copy-end" });
      } else {
        this.copyRows.push(text);
        if (this.copyRows.length >= this.copyBatchRows) {
          out.push({ type: "copy-data", rows: this.copyRows });
          this.copyRows = [];
        }
      }
      return out;
    }
    if (this.buffer.trim() === "" && this.mode.kind === "normal" && text.startsWith("\\")) {
      out.push({ type: "meta", command: text.trim(), line: this.lineNo });
      return out;
    }
    this.scan(text, out);
    return out;
  }

  /** End of input: anything left is an unterminated statement. */
  end(): ScriptItem[] {
    if (this.inCopy) throw new Error(`the dump ends inside COPY data (missing "\\." line)`);
    const rest = this.buffer.trim();
    if (this.mode.kind !== "normal" || (rest && !/^(--[^\n]*\n?\s*)*$/.test(rest)))
      throw new Error(`the dump ends inside a statement that starts on line ${this.startLine}`);
    return [];
  }

  private scan(text: string, out: ScriptItem[]) {
    let i = 0;
    let segmentStart = 0;
    const flush = (end: number) => {
      if (
        this.buffer.trim() === "" &&
        text.slice(segmentStart, end).trim() !== "" &&
        !this.startLine
      )
        this.startLine = this.lineNo;
      this.buffer += text.slice(segmentStart, end);
    };
    while (i < text.length) {
      const ch = text[i]!;
      const mode = this.mode;
      if (mode.kind === "normal") {
        if (ch === "-" && text[i + 1] === "-") {
          flush(i);
          segmentStart = text.length; // drop the comment
          i = text.length;
          break;
        } else if (ch === "/" && text[i + 1] === "*") {
          this.mode = { kind: "block", depth: 1 };
          i += 2;
        } else if (ch === "'") {
          const prev = text[i - 1];
          const escapes = (prev === "E" || prev === "e") && !IDENT_CHAR.test(text[i - 2] ?? " ");
          this.mode = { kind: "single", escapes };
          i++;
        } else if (ch === '"') {
          this.mode = { kind: "double" };
          i++;
        } else if (ch === "$" && !IDENT_CHAR.test(text[i - 1] ?? " ")) {
          const m = DOLLAR_TAG.exec(text.slice(i));
          if (m) {
            this.mode = { kind: "dollar", tag: m[0] };
            i += m[0].length;
          } else i++;
        } else if (ch === ";") {
          flush(i + 1);
          segmentStart = i + 1;
          this.emit(out);
          i++;
        } else {
          if (!this.startLine && ch.trim() !== "") this.startLine = this.lineNo;
          i++;
        }
      } else if (mode.kind === "single") {
        if (mode.escapes && ch === "\\") i += 2;
        else if (ch === "'" && text[i + 1] === "'") i += 2;
        else if (ch === "'") {
          this.mode = { kind: "normal" };
          i++;
        } else i++;
      } else if (mode.kind === "double") {
        if (ch === '"' && text[i + 1] === '"') i += 2;
        else if (ch === '"') {
          this.mode = { kind: "normal" };
          i++;
        } else i++;
      } else if (mode.kind === "dollar") {
        if (text.startsWith(mode.tag, i)) {
          i += mode.tag.length;
          this.mode = { kind: "normal" };
        } else i++;
      } else {
        if (ch === "*" && text[i + 1] === "/") {
          i += 2;
          mode.depth--;
          if (mode.depth === 0) this.mode = { kind: "normal" };
        } else if (ch === "/" && text[i + 1] === "*") {
          i += 2;
          mode.depth++;
        } else i++;
      }
    }
    flush(text.length);
    if (this.buffer !== "") this.buffer += "\n";
  }

  private emit(out: ScriptItem[]) {
    const sql = this.buffer.trim();
    const line = this.startLine || this.lineNo;
    this.buffer = "";
    this.startLine = 0;
    if (sql === ";" || sql === "") return;
    if (COPY_FROM_STDIN.test(sql)) {
      this.inCopy = true;
      out.push({ type: "copy-start", sql, line });
    } else out.push({ type: "statement", sql, line });
  }
}
