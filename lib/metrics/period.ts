/*
 * Metrics filters, parsed from the URL (page) or the query string (API). Pure: no
 * database, no clock of its own (callers pass `now`), so it is unit-tested directly.
 *
 * A period selects hitl_metrics rows by `created_at` (the moment the decision was
 * recorded), half-open: from <= created_at < to. Dates are UTC.
 */

import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";

export const PERIOD_KEYS = ["24h", "7d", "30d", "all", "custom"] as const;
export type PeriodKey = (typeof PERIOD_KEYS)[number];
export const DEFAULT_PERIOD: Exclude<PeriodKey, "custom"> = "7d";

export const REQUEST_TYPES = REQUEST_KINDS;
export type MetricsRequestType = RequestKind;

/**
 * Width of the over-time buckets: the finest that keeps a chart to at most MAX_BUCKETS
 * points (hours up to two days, days up to 400 days, then weeks, months, years, decades,
 * centuries), so that any range, even year 1 to 9999, is a few hundred rows of SQL.
 */
export const BUCKETS = ["hour", "day", "week", "month", "year", "decade", "century"] as const;
export type Bucket = (typeof BUCKETS)[number];
export const MAX_BUCKETS = 400;

export interface MetricsFilter {
  period: PeriodKey;
  /** inclusive lower bound on hitl_metrics.created_at; null = since the beginning */
  from: Date | null;
  /** exclusive upper bound; null = up to now (and anything stamped later) */
  to: Date | null;
  /** the custom range exactly as typed (YYYY-MM-DD or ISO), for the form */
  fromInput: string;
  toInput: string;
  type: MetricsRequestType | null;
  /** width of the over-time buckets (bucketFor); "all" resolves it from the data */
  bucket: Bucket;
}

export interface FilterIssue {
  path: string;
  message: string;
}

export type ParseResult =
  | { ok: true; filter: MetricsFilter }
  | { ok: false; issues: FilterIssue[]; fallback: MetricsFilter };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRESET_MS: Record<Exclude<PeriodKey, "all" | "custom">, number> = {
  "24h": DAY,
  "7d": 7 * DAY,
  "30d": 30 * DAY,
};

export const PERIOD_LABELS: Record<PeriodKey, string> = {
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
  all: "All time",
  custom: "Custom",
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function param(params: Params, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** PostgreSQL's timestamps and ISO strings agree on years 1 to 9999: bounds are clamped. */
const FIRST = new Date("0001-01-01T00:00:00.000Z").getTime();
const LAST = new Date("9999-12-31T23:59:59.999Z").getTime();

function clamp(d: Date): Date {
  const t = d.getTime();
  return t < FIRST ? new Date(FIRST) : t > LAST ? new Date(LAST) : d;
}

/**
 * "2026-11-20" → that day at 00:00 UTC (for `to`: the next day's 00:00, so the whole
 * day is included). ISO date-times are taken as given (UTC when no offset).
 */
export function parseBound(value: string, end: boolean): Date | null {
  if (DATE_ONLY.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return null;
    return clamp(end ? new Date(d.getTime() + DAY) : d);
  }
  if (DATE_TIME.test(value)) {
    const d = new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
    return Number.isNaN(d.getTime()) ? null : clamp(d);
  }
  return null;
}

/** Longest span (ms) each bucket width charts within MAX_BUCKETS points. */
const SPAN_LIMIT: Record<Bucket, number> = {
  hour: 2 * DAY,
  day: MAX_BUCKETS * DAY,
  week: MAX_BUCKETS * 7 * DAY,
  month: MAX_BUCKETS * 28 * DAY, // a month is at least 28 days: at most 400 months
  year: MAX_BUCKETS * 365 * DAY,
  decade: MAX_BUCKETS * 3650 * DAY,
  century: Number.POSITIVE_INFINITY, // year 1 to 9999: 100 centuries
};

/** The finest bucket for a span (`from` null: the beginning, charted by day at least). */
export function bucketFor(from: Date | null, to: Date | null, now: Date): Bucket {
  if (!from) return "day";
  const span = (to ?? now).getTime() - from.getTime();
  return BUCKETS.find((b) => span <= SPAN_LIMIT[b]) ?? "century";
}

/** "all": the bucket for the data's real span (never finer than a day). */
export function bucketForAll(first: Date | null, to: Date | null, now: Date): Bucket {
  const b = first ? bucketFor(first, to, now) : "day";
  return b === "hour" ? "day" : b;
}

function build(
  period: PeriodKey,
  from: Date | null,
  to: Date | null,
  type: MetricsRequestType | null,
  now: Date,
  inputs: { from: string; to: string } = { from: "", to: "" },
): MetricsFilter {
  return {
    period,
    from,
    to,
    fromInput: inputs.from,
    toInput: inputs.to,
    type,
    bucket: bucketFor(from, to, now),
  };
}

/** The filter for a preset period (no validation needed). */
export function presetFilter(
  period: Exclude<PeriodKey, "custom">,
  type: MetricsRequestType | null,
  now: Date,
): MetricsFilter {
  const from = period === "all" ? null : new Date(now.getTime() - PRESET_MS[period]);
  return build(period, from, null, type, now);
}

/**
 * `period=24h|7d|30d|all|custom`, `from`, `to` (custom only; YYYY-MM-DD or ISO
 * date-time), `type=approval|question|tool_call`. `from`/`to` without `period` mean custom.
 * Empty values count as absent (an HTML form submits empty inputs).
 */
export function parseMetricsFilter(params: Params, now: Date): ParseResult {
  const issues: FilterIssue[] = [];
  const rawPeriod = param(params, "period")?.trim() || undefined;
  const rawFrom = param(params, "from")?.trim() || undefined;
  const rawTo = param(params, "to")?.trim() || undefined;
  const rawType = param(params, "type")?.trim() || undefined;

  let type: MetricsRequestType | null = null;
  if (rawType !== undefined && rawType !== "all") {
    if ((REQUEST_TYPES as readonly string[]).includes(rawType))
      type = rawType as MetricsRequestType;
    else issues.push({ path: "type", message: `must be one of ${REQUEST_TYPES.join(", ")}` });
  }

  let period: PeriodKey = rawPeriod ? (rawPeriod as PeriodKey) : DEFAULT_PERIOD;
  if (rawPeriod && !(PERIOD_KEYS as readonly string[]).includes(rawPeriod)) {
    issues.push({ path: "period", message: "must be one of 24h, 7d, 30d, all, custom" });
    period = DEFAULT_PERIOD;
  }
  if (!rawPeriod && (rawFrom || rawTo)) period = "custom";

  let filter: MetricsFilter;
  if (period === "custom") {
    const from = rawFrom ? parseBound(rawFrom, false) : null;
    const to = rawTo ? parseBound(rawTo, true) : null;
    if (rawFrom && !from)
      issues.push({ path: "from", message: "must be a date (YYYY-MM-DD) or an ISO date-time" });
    if (rawTo && !to)
      issues.push({ path: "to", message: "must be a date (YYYY-MM-DD) or an ISO date-time" });
    if (!rawFrom && !rawTo)
      issues.push({ path: "from", message: "a custom period needs from, to or both" });
    if (from && to && from.getTime() >= to.getTime())
      issues.push({ path: "to", message: "must be after from" });
    filter = build("custom", from, to, type, now, { from: rawFrom ?? "", to: rawTo ?? "" });
  } else {
    if (rawFrom || rawTo)
      issues.push({
        path: rawFrom ? "from" : "to",
        message: "from and to are only used with period=custom",
      });
    filter = presetFilter(period as Exclude<PeriodKey, "custom">, type, now);
  }

  if (issues.length > 0) {
    return { ok: false, issues, fallback: presetFilter(DEFAULT_PERIOD, type, now) };
  }
  return { ok: true, filter };
}

/** The URL query for a filter (page links), omitting defaults. */
export function filterQuery(
  f: Pick<MetricsFilter, "period" | "type" | "fromInput" | "toInput">,
): string {
  const q = new URLSearchParams();
  if (f.period !== DEFAULT_PERIOD) q.set("period", f.period);
  if (f.period === "custom") {
    if (f.fromInput) q.set("from", f.fromInput);
    if (f.toInput) q.set("to", f.toInput);
  }
  if (f.type) q.set("type", f.type);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** "last 7 days", "2026-11-01 – 2026-11-20 (UTC)", "all time" */
export function describePeriod(f: MetricsFilter): string {
  if (f.period === "all") return "all time";
  if (f.period !== "custom") return `the last ${PERIOD_LABELS[f.period]}`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const from = f.from ? day(f.from) : "the beginning";
  const to = f.to ? day(new Date(f.to.getTime() - 1)) : "now";
  return `${from} – ${to} (UTC)`;
}

/**
 * Whether a period's figures come from the rollup (hitl_metrics_rollup): every period
 * longer than two days (charted by the day or coarser). Counts, averages, minimum and
 * maximum stay exact; percentiles are from the rollup's sketch, within 1%
 * (lib/metrics/sketch.ts). Periods charted by the hour (up to two days) are read from
 * hitl_metrics itself: exact, and cheap at that length.
 */
export const fromRollup = (f: Pick<MetricsFilter, "bucket">) => f.bucket !== "hour";
