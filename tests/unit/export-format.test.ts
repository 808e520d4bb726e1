import { describe, expect, test } from "vitest";
import { csvField, csvLine } from "@/lib/export/csv";
import { JSON_ARRAY_CLOSE, JSON_ARRAY_OPEN, jsonArrayChunk } from "@/lib/export/json";

describe("CSV in PostgreSQL's COPY … CSV conventions", () => {
  test("NULL is nothing, an empty string is a quoted empty field", () => {
    expect(csvField(null)).toBe("");
    expect(csvField("")).toBe('""');
  });

  test("plain values stay bare, including spaces, backslashes and non-ASCII", () => {
    expect(csvField("src/app.ts")).toBe("src/app.ts");
    expect(csvField(" padded ")).toBe(" padded ");
    expect(csvField("C:\\path")).toBe("C:\\path");
    expect(csvField("naïve ✓")).toBe("naïve ✓");
    expect(csvField("t")).toBe("t");
  });

  test("delimiter, quote, CR and LF force quotes; quotes are doubled", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });

  test("a lone \\. is quoted only in a single-column file (end-of-data marker)", () => {
    expect(csvField("\\.", true)).toBe('"\\."');
    expect(csvField("\\.")).toBe("\\.");
    expect(csvLine(["\\."])).toBe('"\\."\n');
    expect(csvLine(["\\.", "x"])).toBe("\\.,x\n");
  });

  test("a line joins fields with commas and ends with LF", () => {
    expect(csvLine(["1", null, "", "a,b", "f"])).toBe('1,,"",\"a,b\",f\n');
  });
});

describe("json_agg layout", () => {
  test("rows are joined by ', ' inside brackets, across batches", () => {
    const out =
      JSON_ARRAY_OPEN +
      jsonArrayChunk(['{"a":1}', '{"a":2}'], true) +
      jsonArrayChunk([], false) +
      jsonArrayChunk(['{"a":3}'], false) +
      JSON_ARRAY_CLOSE;
    expect(out).toBe('[{"a":1}, {"a":2}, {"a":3}]');
    expect(JSON.parse(out)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  test("nothing exported is an empty array", () => {
    expect(JSON_ARRAY_OPEN + jsonArrayChunk([], true) + JSON_ARRAY_CLOSE).toBe("[]");
  });
});
