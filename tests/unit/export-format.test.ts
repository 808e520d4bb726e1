import { describe, expect, test } from "vitest";
import {
  JSON_ARRAY_CLOSE,
  JSON_ARRAY_OPEN,
  csvField,
  csvRow,
  jsonArrayChunk,
  parseSince,
  pgTimestamp,
} from "@/lib/export/format";

describe("CSV in PostgreSQL's COPY … CSV conventions", () => {
  test("NULL is nothing, an empty string is a quoted empty field", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe('""');
    expect(csvRow([null, "", undefined, "x"])).toBe(',"",,x\n');
  });

  test("plain values stay bare: spaces, backslashes, tabs, single quotes, non-ASCII", () => {
    expect(csvField("src/app.ts")).toBe("src/app.ts");
    expect(csvField(" padded ")).toBe(" padded ");
    expect(csvField("C:\\path")).toBe("C:\\path");
    expect(csvField("naïve ✓")).toBe("naïve ✓");
    expect(csvField("t")).toBe("t");
    expect(csvField("plain text; tabs\tand 'single' quotes")).toBe(
      "plain text; tabs\tand 'single' quotes",
    );
  });

  test("delimiter, quote, CR and LF force quotes; quotes are doubled", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });

  test("a lone \\. is quoted only in a single-column file (end-of-data marker)", () => {
    expect(csvField("\\.", true)).toBe('"\\."');
    expect(csvField("\\.")).toBe("\\.");
    expect(csvRow(["\\."])).toBe('"\\."\n');
    expect(csvRow(["\\.", "x"])).toBe("\\.,x\n");
  });

  test("a line joins fields with commas and ends with LF", () => {
    expect(csvRow(["1", null, "", "a,b", "f"])).toBe('1,,"","a,b",f\n');
  });

  test("a text a spreadsheet would run as a formula is prefixed with ' and quoted (OWASP)", () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(csvField("+cmd|' /C calc'!A0")).toBe("\"'+cmd|' /C calc'!A0\"");
    expect(csvField("-2+3")).toBe('"\'-2+3"');
    expect(csvField("@SUM(A1)")).toBe('"\'@SUM(A1)"');
    expect(csvField("\t=1")).toBe('"\'\t=1"');
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField("--- a/src/x.ts\n+++ b/src/x.ts")).toBe('"\'--- a/src/x.ts\n+++ b/src/x.ts"');
    // Plain numbers are data; a formula character elsewhere is harmless.
    expect(csvField("-5")).toBe("-5");
    expect(csvField("+1.5e3")).toBe("+1.5e3");
    expect(csvField("a=b")).toBe("a=b");
    expect(csvRow(["=1", "x"])).toBe('"\'=1",x\n');
  });

  test("booleans are t/f, numbers plain", () => {
    expect(csvRow([true, false, 42, 1.5])).toBe("t,f,42,1.5\n");
  });

  test("timestamps print as PostgreSQL prints timestamp without time zone (UTC)", () => {
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.123Z"))).toBe("2026-01-01 12:00:00.123");
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.120Z"))).toBe("2026-01-01 12:00:00.12");
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.000Z"))).toBe("2026-01-01 12:00:00");
    expect(csvField(new Date("2026-03-04T05:06:07.008Z"))).toBe("2026-03-04 05:06:07.008");
  });
});

describe("json_agg layout", () => {
  test("rows are joined by ', ' inside brackets, across batches", () => {
    const out =
      JSON_ARRAY_OPEN +
      jsonArrayChunk(['{"a":1}', '{"a":2}'], 0) +
      jsonArrayChunk([], 2) +
      jsonArrayChunk(['{"a":3}'], 2) +
      JSON_ARRAY_CLOSE;
    expect(out).toBe('[{"a":1}, {"a":2}, {"a":3}]');
    expect(JSON.parse(out)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  test("an empty first batch does not put a separator before the first row", () => {
    const out =
      JSON_ARRAY_OPEN + jsonArrayChunk([], 0) + jsonArrayChunk(['{"a":1}'], 0) + JSON_ARRAY_CLOSE;
    expect(out).toBe('[{"a":1}]');
  });

  test("nothing exported is an empty array", () => {
    expect(JSON_ARRAY_OPEN + jsonArrayChunk([], 0) + JSON_ARRAY_CLOSE).toBe("[]");
  });
});

describe("--since", () => {
  test("accepts ISO dates and date-times, read as UTC unless an offset is given", () => {
    expect(parseSince("2026-01-02")?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(parseSince("2026-01-02T03:04")?.toISOString()).toBe("2026-01-02T03:04:00.000Z");
    expect(parseSince("2026-01-02 03:04:05.5")?.toISOString()).toBe("2026-01-02T03:04:05.500Z");
    expect(parseSince("2026-01-02T03:04:05+02:00")?.toISOString()).toBe("2026-01-02T01:04:05.000Z");
  });
  test("rejects anything else", () => {
    for (const bad of ["yesterday", "2026-13-01", "2026-01-02T25:00", "", "1700000000"])
      expect(parseSince(bad)).toBeNull();
  });
});

describe("the test CSV parser", () => {
  test("reads what csvRow writes, including quoted newlines and empty last fields", async () => {
    const { parseCsv } = await import("../helpers/csv");
    const text = csvRow(["a", 'b "c", d', "e\nf", null]) + csvRow(["", "x", null, "y"]);
    expect(parseCsv(text)).toEqual([
      ["a", 'b "c", d', "e\nf", ""],
      ["", "x", "", "y"],
    ]);
  });
});
