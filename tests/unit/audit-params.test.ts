import { describe, expect, test } from "vitest";
import { auditHref, auditRange, parseAuditParams } from "@/lib/audit/params";

describe("Settings → Audit parameters", () => {
  test("known filters are kept, trimmed; the page cursor is a number", () => {
    expect(
      parseAuditParams({
        event: "key.created",
        actor: " ana@example.com ",
        subject: "k1",
        from: "2026-12-01",
        to: "2026-12-02",
        before: "120",
      }),
    ).toEqual({
      query: {
        event: "key.created",
        actor: "ana@example.com",
        subject: "k1",
        from: "2026-12-01",
        to: "2026-12-02",
        before: 120,
      },
      problems: [],
    });
  });

  test("bad input is named and left out, never an error page", () => {
    const { query, problems } = parseAuditParams({
      event: "nope",
      from: "yesterday",
      to: "2026-02-30x",
      before: "-1",
      actor: "x".repeat(300),
    });
    expect(query).toEqual({});
    expect(problems).toEqual([
      'Unknown event type "nope": showing every event.',
      "The actor is longer than 254 characters.",
      '"yesterday" is not a date (YYYY-MM-DD): the from date is ignored.',
      '"2026-02-30x" is not a date (YYYY-MM-DD): the to date is ignored.',
    ]);
    expect(parseAuditParams({ from: "2026-12-02", to: "2026-12-01" }).problems).toEqual([
      "The from date is after the to date: nothing can match.",
    ]);
  });

  test("the date range covers the whole `to` day (UTC); links carry filters and page", () => {
    expect(auditRange({ from: "2026-12-01", to: "2026-12-01" })).toEqual({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2026-12-02T00:00:00Z"),
    });
    expect(auditHref({})).toBe("/settings/audit");
    expect(auditHref({ event: "request.decided", subject: "a b", before: 7 })).toBe(
      "/settings/audit?event=request.decided&subject=a+b&before=7",
    );
  });
});
