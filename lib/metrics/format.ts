import { formatDuration } from "@/lib/format";
import type { Bucket } from "./period";

/* Display helpers for metrics (pure; used on the server and in chart tooltips). */

/** "3 min 12 s", or "—" for no value. */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : formatDuration(ms);
}

/** The exact value for a hover title: "192,345 ms", "50.5 ms". */
export function exactMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "no value";
  const rounded = Math.round(ms * 100) / 100;
  return `${rounded.toLocaleString("en-US", { maximumFractionDigits: 2 })} ms`;
}

/** 0.8333 → "83%"; null → "—". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  return `${Math.round(ratio * 100)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

const dayFmt = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

const monthFmt = new Intl.DateTimeFormat("en-US", {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/**
 * Axis label for an over-time bucket, in UTC: "Nov 20 14:00" (hour), "Nov 20" (day, week
 * starting that Monday), "Nov 2026", "2026", "2020s", "2001–2100".
 */
export function bucketLabel(start: Date, bucket: Bucket): string {
  const year = start.getUTCFullYear();
  switch (bucket) {
    case "hour":
      return `${dayFmt.format(start)} ${start.toISOString().slice(11, 16)}`;
    case "day":
    case "week":
      return dayFmt.format(start);
    case "month":
      return monthFmt.format(start);
    case "year":
      return String(year);
    case "decade":
      return `${year}s`;
    case "century":
      return `${year}–${year + 99}`;
  }
}

/** "hours", "days", …, "centuries" */
export function bucketPlural(bucket: Bucket): string {
  return bucket === "century" ? "centuries" : `${bucket}s`;
}

/** "2026-11-20 14:03 UTC" */
export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Link to a request's review page. */
export function requestHref(requestType: string, requestId: string): string {
  return `/${requestType === "question" ? "questions" : "approvals"}/${requestId}`;
}

/** Axis ticks: one unit, at most one decimal ("850 ms", "12 s", "5.8 min", "2 h", "1.5 d"). */
export function formatDurationShort(ms: number): string {
  const one = (v: number) => `${Math.round(v * 10) / 10}`;
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${one(ms / 1000)} s`;
  if (a < 3_600_000) return `${one(ms / 60_000)} min`;
  if (a < 86_400_000) return `${one(ms / 3_600_000)} h`;
  return `${one(ms / 86_400_000)} d`;
}

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const STEPS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  14 * D,
  30 * D,
];

/** Round axis ticks for a duration axis from 0 to at least `maxMs`: 0, 5 min, 10 min, … */
export function durationTicks(maxMs: number, most = 5): number[] {
  if (!Number.isFinite(maxMs) || maxMs <= 0) return [0];
  const step = STEPS.find((s) => maxMs / s <= most) ?? Math.ceil(maxMs / most / D) * D;
  const n = Math.ceil(maxMs / step);
  return Array.from({ length: n + 1 }, (_, i) => i * step);
}
