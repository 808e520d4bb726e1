import { describe, expect, test } from "vitest";
import {
  csvField,
  csvRow,
  jsonClose,
  jsonItem,
  jsonOpen,
  parseSince,
  pgTimestamp,
} from "@/lib/export/format";

describe("CSV like PostgreSQL's COPY … CSV", () => {
  test("NULL is an empty unquoted field; an empty string is quoted", () => {
    expect(csvRow([null, "", undefined, "x"])).toBe(',"",,x\n');
  });
  test("booleans are t/f, numbers plain", () => {
    expect(csvRow([true, false, 42, 1.5])).toBe("t,f,42,1.5\n");
  });
  test("quotes fields holding a comma, quote, CR or LF, doubling quotes", () => {
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField("plain text; tabs\tand 'single' quotes")).toBe(
      "plain text; tabs\tand 'single' quotes",
    );
    expect(csvField("\\.")).toBe('"\\."');
  });
  test("timestamps print as PostgreSQL prints timestamp without time zone (UTC)", () => {
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.123Z"))).toBe("2026-01-01 12:00:00.123");
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.120Z"))).toBe("2026-01-01 12:00:00.12");
    expect(pgTimestamp(new Date("2026-01-01T12:00:00.000Z"))).toBe("2026-01-01 12:00:00");
    expect(csvField(new Date("2026-03-04T05:06:07.008Z"))).toBe("2026-03-04 05:06:07.008");
  });
});

describe("JSON array", () => {
  test("streams items into one array; an empty export is []", () => {
    expect(jsonOpen + jsonClose(0)).toBe("[]\n");
    const text = jsonOpen + jsonItem(0, '{"a":1}') + jsonItem(1, '{"a":2}') + jsonClose(2);
    expect(JSON.parse(text)).toEqual([{ a: 1 }, { a: 2 }]);
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
