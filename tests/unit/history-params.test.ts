import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  decodeCursor,
  encodeCursor,
  historySearch,
  likeContains,
  parseHistoryParams,
  typesFor,
  type Cursor,
} from "@/lib/history/params";

const cursor: Cursor = {
  dir: "older",
  at: "2026-01-10 12:00:00.123456",
  type: "question",
  id: "0b6c6f5e-2f7a-4c1e-9a51-6f0d1f9b2a3c",
};

describe("history cursor", () => {
  test("round-trips every valid cursor and is URL-safe", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("older", "newer"),
        fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.constantFrom("approval", "question"),
        fc.uuid(),
        (dir, date, micros, type, id) => {
          const at = `${date.toISOString().slice(0, 19).replace("T", " ")}.${String(micros).padStart(6, "0")}`;
          const c = { dir, at, type, id } as Cursor;
          const encoded = encodeCursor(c);
          expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(decodeCursor(encoded)).toEqual(c);
        },
      ),
    );
  });

  test("rejects tampered or garbage cursors instead of throwing", () => {
    for (const bad of ["", "!!!", "abc", encodeCursor(cursor).slice(0, -3), btoa("o|x|a|y")]) {
      expect(decodeCursor(bad)).toBeNull();
    }
    const sqlish = btoa(`o|2026-01-01 00:00:00'); DROP TABLE x;--|a|${cursor.id}`);
    expect(decodeCursor(sqlish.replaceAll("=", ""))).toBeNull();
  });
});

describe("history URL state", () => {
  test("parses every filter and writes it back identically", () => {
    const p = new URLSearchParams(
      `type=question&outcome=answered&agent=bot&from=2026-01-01&to=2026-01-31&q=50%25_x&cursor=${encodeCursor(cursor)}`,
    );
    const { query, problems } = parseHistoryParams(p);
    expect(problems).toEqual([]);
    expect(query).toEqual({
      type: "question",
      outcome: "answered",
      agent: "bot",
      from: "2026-01-01",
      to: "2026-01-31",
      q: "50%_x",
      cursor,
    });
    const { cursor: c, ...filter } = query;
    expect(historySearch(filter, c)).toBe(`?${p.toString()}`);
  });

  test("drops bad values with a reason, never throws", () => {
    const { query, problems } = parseHistoryParams({
      type: "nope",
      outcome: "maybe",
      from: "2026-02-30",
      to: "yesterday",
      cursor: "garbage",
      q: "x".repeat(201),
    });
    expect(query).toEqual({});
    expect(problems).toHaveLength(6);
  });

  test("from after to, and outcomes that do not fit the type, are reported", () => {
    expect(parseHistoryParams({ from: "2026-02-01", to: "2026-01-01" }).problems[0]).toMatch(
      /after/,
    );
    expect(parseHistoryParams({ type: "approval", outcome: "answered" }).query).toEqual({
      type: "approval",
    });
    expect(parseHistoryParams({ type: "question", outcome: "approved" }).query).toEqual({
      type: "question",
    });
  });

  test("empty parameters (as an unfilled GET form sends them) mean no filter", () => {
    expect(parseHistoryParams({ type: "", q: "  ", agent: "" })).toEqual({
      query: {},
      problems: [],
    });
  });

  test("an outcome narrows the types searched", () => {
    expect(typesFor({})).toEqual(["approval", "question", "tool_call"]);
    expect(typesFor({ outcome: "answered" })).toEqual(["question"]);
    expect(typesFor({ outcome: "rejected" })).toEqual(["approval", "tool_call"]);
    expect(typesFor({ outcome: "expired" })).toEqual(["approval", "question", "tool_call"]);
  });

  test("search text is escaped for ILIKE: %, _ and \\ are literal", () => {
    expect(likeContains("100%_done\\x")).toBe("%100\\%\\_done\\\\x%");
  });
});
