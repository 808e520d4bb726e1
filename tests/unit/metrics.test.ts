import { describe, expect, test } from "vitest";
import {
  describePeriod,
  filterQuery,
  parseBound,
  parseMetricsFilter,
  presetFilter,
} from "@/lib/metrics/period";
import {
  bucketLabel,
  durationTicks,
  exactMs,
  formatDurationShort,
  formatMs,
  formatPercent,
  requestHref,
} from "@/lib/metrics/format";

const now = new Date("2026-11-26T13:30:00Z");

describe("parseMetricsFilter", () => {
  test("defaults to the last 7 days, all types, per day", () => {
    const r = parseMetricsFilter({}, now);
    expect(r.ok && r.filter).toMatchObject({
      period: "7d",
      from: new Date("2026-11-19T13:30:00Z"),
      to: null,
      type: null,
      bucket: "day",
    });
  });

  test("24h is charted per hour; all time has no lower bound", () => {
    const day = parseMetricsFilter(new URLSearchParams("period=24h&type=question"), now);
    expect(day.ok && day.filter).toMatchObject({
      from: new Date("2026-11-25T13:30:00Z"),
      bucket: "hour",
      type: "question",
    });
    const all = parseMetricsFilter({ period: "all" }, now);
    expect(all.ok && all.filter).toMatchObject({ from: null, to: null, bucket: "day" });
  });

  test("a custom range of dates includes the whole last day (UTC), half-open", () => {
    const r = parseMetricsFilter({ period: "custom", from: "2026-11-01", to: "2026-11-20" }, now);
    expect(r.ok && r.filter).toMatchObject({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-21T00:00:00Z"),
      fromInput: "2026-11-01",
      toInput: "2026-11-20",
      bucket: "day",
    });
    const oneDay = parseMetricsFilter({ from: "2026-11-01", to: "2026-11-01" }, now);
    expect(oneDay.ok && oneDay.filter).toMatchObject({ period: "custom", bucket: "hour" });
  });

  test("empty form fields count as absent", () => {
    const r = parseMetricsFilter({ period: "30d", from: "", to: "", type: "" }, now);
    expect(r.ok && r.filter.period).toBe("30d");
  });

  test.each([
    [{ period: "1y" }, "period"],
    [{ type: "comment" }, "type"],
    [{ period: "custom" }, "from"],
    [{ period: "custom", from: "2026-02-30" }, "from"],
    [{ period: "custom", from: "yesterday" }, "from"],
    [{ period: "custom", from: "2026-11-20", to: "2026-11-01" }, "to"],
    [{ period: "7d", from: "2026-11-01" }, "from"],
  ])("rejects %j naming %s, with the default as fallback", (params, path) => {
    const r = parseMetricsFilter(params, now);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toContain(path);
    expect(r.fallback.period).toBe("7d");
  });
});

test("parseBound reads ISO date-times as UTC unless they carry an offset", () => {
  expect(parseBound("2026-11-01T10:00", false)).toEqual(new Date("2026-11-01T10:00:00Z"));
  expect(parseBound("2026-11-01T10:00:00+02:00", true)).toEqual(new Date("2026-11-01T08:00:00Z"));
  expect(parseBound("2026-13-01", false)).toBeNull();
});

test("filterQuery omits defaults and keeps custom dates", () => {
  expect(filterQuery(presetFilter("7d", null, now))).toBe("");
  expect(filterQuery(presetFilter("all", "approval", now))).toBe("?period=all&type=approval");
  const r = parseMetricsFilter({ from: "2026-11-01", to: "2026-11-02" }, now);
  expect(r.ok && filterQuery(r.filter)).toBe("?period=custom&from=2026-11-01&to=2026-11-02");
});

test("describePeriod", () => {
  expect(describePeriod(presetFilter("24h", null, now))).toBe("the last 24 hours");
  expect(describePeriod(presetFilter("all", null, now))).toBe("all time");
  const r = parseMetricsFilter({ from: "2026-11-01", to: "2026-11-02" }, now);
  expect(r.ok && describePeriod(r.filter)).toBe("2026-11-01 – 2026-11-02 (UTC)");
});

describe("metrics formatting", () => {
  test("durations are human, exact values are for hover", () => {
    expect(formatMs(192_345)).toBe("3 min 12 s");
    expect(formatMs(null)).toBe("—");
    expect(exactMs(192_345)).toBe("192,345 ms");
    expect(exactMs(50.5)).toBe("50.5 ms");
    expect(exactMs(99.012345)).toBe("99.01 ms");
  });
  test("percent, bucket labels (UTC), request links", () => {
    expect(formatPercent(5 / 6)).toBe("83%");
    expect(formatPercent(null)).toBe("—");
    const d = new Date("2026-11-20T14:00:00Z");
    expect(bucketLabel(d, "day")).toBe("Nov 20");
    expect(bucketLabel(d, "hour")).toBe("Nov 20 14:00");
    expect(requestHref("question", "abc")).toBe("/questions/abc");
    expect(requestHref("approval", "abc")).toBe("/approvals/abc");
  });
});

test("axis ticks use one unit with at most one decimal", () => {
  expect(formatDurationShort(850)).toBe("850 ms");
  expect(formatDurationShort(12_000)).toBe("12 s");
  expect(formatDurationShort(350_000)).toBe("5.8 min");
  expect(formatDurationShort(7_200_000)).toBe("2 h");
  expect(formatDurationShort(1.5 * 86_400_000)).toBe("1.5 d");
});

test("duration axes get round ticks that cover the largest value", () => {
  expect(durationTicks(1_390_000)).toEqual([0, 5, 10, 15, 20, 25].map((m) => m * 60_000));
  expect(durationTicks(90)).toEqual([0, 20, 40, 60, 80, 100]);
  expect(durationTicks(0)).toEqual([0]);
  const big = durationTicks(200 * 86_400_000);
  expect(big.at(-1)!).toBeGreaterThanOrEqual(200 * 86_400_000);
  expect(big.length).toBeLessThanOrEqual(6);
});
