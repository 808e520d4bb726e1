/**
 * RFC 4180 CSV parser for tests: quoted fields may hold commas, quotes and newlines.
 * Scans with indexOf/regex so 100 MB parse in seconds.
 */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const plain = /[,\n]/g;
  while (i < text.length) {
    let field: string;
    if (text[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new Error(`unterminated quoted field at ${i}`);
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = value;
    } else {
      plain.lastIndex = i;
      const m = plain.exec(text);
      const end = m ? m.index : text.length;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
      if (i === text.length) row.push("");
    } else {
      // "\n" or end of text
      out.push(row);
      row = [];
      i++;
    }
  }
  return out;
}
