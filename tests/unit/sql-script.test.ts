import { describe, expect, test } from "vitest";
import { SqlScriptReader, type ScriptItem } from "@/lib/ops/sql-script";

function read(text: string, batch = 1000): ScriptItem[] {
  const r = new SqlScriptReader(batch);
  const out: ScriptItem[] = [];
  for (const line of text.split("\n")) out.push(...r.line(line));
  out.push(...r.end());
  return out;
}
const sqlOf = (items: ScriptItem[]) =>
  items.filter((i) => i.type === "statement").map((i) => (i as { sql: string }).sql);

describe("reading a plain SQL dump", () => {
  test("splits statements and drops comment lines", () => {
    const items = read(
      "--\n-- header\n--\nSET a = 1;\nSELECT pg_catalog.set_config('search_path', '', false);\n\nCREATE TABLE t (\n  id int\n);\n",
    );
    expect(sqlOf(items)).toEqual([
      "SET a = 1;",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "CREATE TABLE t (\n  id int\n);",
    ]);
  });
  test("keeps semicolons, quotes and newlines inside string literals (diffs in INSERTs)", () => {
    const diff = "--- a/x;\n+++ b/x\n@@ -1 +1 @@\n-it''s; -- not a comment\n+/* nor this */";
    const items = read(`INSERT INTO t VALUES ('${diff}', 'b');\nSELECT 1;`);
    expect(sqlOf(items)).toEqual([`INSERT INTO t VALUES ('${diff}', 'b');`, "SELECT 1;"]);
  });
  test("handles E'' strings, quoted identifiers and dollar quotes", () => {
    const items = read(
      `INSERT INTO "we;ird" VALUES (E'a\\';b');\nCREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;\nSELECT $$;$$;`,
    );
    expect(sqlOf(items)).toHaveLength(3);
    expect(sqlOf(items)[1]).toContain("SELECT 1; $fn$");
  });
  test("passes COPY FROM stdin data through in batches until \\.", () => {
    const items = read("COPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n3\tz\n\\.\nSELECT 2;", 2);
    expect(items.map((i) => i.type)).toEqual([
      "copy-start",
      "copy-data",
      "copy-data",
      "copy-end",
      "statement",
    ]);
    expect(items.flatMap((i) => (i.type === "copy-data" ? i.rows : []))).toEqual([
      "1\tx;y",
      "2\t\\N",
      "3\tz",
    ]);
  });
  test("reports psql meta-commands (pg_dump's \\restrict) separately", () => {
    const items = read("\\restrict abc\nSELECT 1;\n\\unrestrict abc\n");
    expect(items.map((i) => i.type)).toEqual(["meta", "statement", "meta"]);
  });
  test("a truncated dump is an error, not a silent partial restore", () => {
    expect(() => read("INSERT INTO t VALUES ('never closed")).toThrow(/ends inside a statement/);
    expect(() => read("COPY t (a) FROM stdin;\n1\n")).toThrow(/inside COPY data/);
  });
});
