"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type TooltipValueType,
} from "recharts";
import { formatDuration } from "@/lib/format";
import { durationTicks, exactMs, formatCount, formatDurationShort } from "@/lib/metrics/format";

/*
 * Recharts leaves for /metrics. The server computes every number; these only draw.
 * Colours come from CSS variables set by the surrounding panel (light and dark).
 * Each chart sits in a <figure> labelled with a text summary, beside a table.
 */

export type ChartRow = Record<string, string | number | null>;
export interface ChartSeries {
  key: string;
  name: string;
  kind: "duration" | "count";
  /** 1..3: --chart-1 .. --chart-3 */
  color?: 1 | 2 | 3;
}

interface ChartProps {
  data: ChartRow[];
  /** key of the category (x for columns, y for horizontal bars) */
  category: string;
  series: ChartSeries[];
  /** text alternative: what the chart shows, with its key numbers */
  summary: string;
  height?: number;
}

const axisTick = { fill: "var(--chart-text)", fontSize: 12 };
const colour = (s: ChartSeries) => `var(--chart-${s.color ?? 1})`;
const shortDuration = (v: number) => (v === 0 ? "0" : formatDurationShort(v));
const animate = false; // charts are read, not watched; also keeps screenshots and tests stable

function valueText(kind: ChartSeries["kind"], v: unknown) {
  if (typeof v !== "number") return "no value";
  return kind === "duration" ? `${formatDuration(v)} (${exactMs(v)})` : formatCount(v);
}

function makeTooltip(series: ChartSeries[]) {
  return function ChartTooltip({
    active,
    payload,
    label,
  }: TooltipContentProps<TooltipValueType, string | number>) {
    if (!active || !payload?.length) return null;
    return (
      <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
        <p className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">{String(label)}</p>
        {payload.map((p) => {
          const s = series.find((x) => x.key === p.dataKey);
          return (
            <p key={String(p.dataKey)} className="text-zinc-700 dark:text-zinc-300">
              <span
                aria-hidden
                className="mr-1.5 inline-block size-2 rounded-sm"
                style={{ background: s ? colour(s) : undefined }}
              />
              {p.name}: {valueText(s?.kind ?? "count", p.value)}
            </p>
          );
        })}
      </div>
    );
  };
}

/** Value-axis props: round duration ticks ("5 min", "10 min"), or whole counts. */
function valueAxis(data: ChartRow[], series: ChartSeries[]) {
  if (series[0]?.kind !== "duration") {
    return { allowDecimals: false, tickFormatter: (v: number) => formatCount(v) };
  }
  let max = 0;
  for (const row of data)
    for (const s of series) {
      const v = row[s.key];
      if (typeof v === "number" && v > max) max = v;
    }
  const ticks = durationTicks(max);
  return { ticks, domain: [0, ticks.at(-1) ?? 0], tickFormatter: shortDuration };
}

/** Category labels on one line, clipped, full text in a tooltip (<title>). */
function CategoryTick(props: {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
}) {
  const text = String(props.payload?.value ?? "");
  const short = text.length > 28 ? `${text.slice(0, 27)}…` : text;
  return (
    <text
      x={Number(props.x)}
      y={Number(props.y)}
      dy={4}
      textAnchor="end"
      fill="var(--chart-text)"
      fontSize={12}
    >
      <title>{text}</title>
      {short}
    </text>
  );
}

/** Vertical columns per category (few categories with short names). */
export function ColumnChart({ data, category, series, summary, height = 260 }: ChartProps) {
  return (
    <figure aria-label={summary} className="m-0">
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
        <XAxis dataKey={category} tick={axisTick} stroke="var(--chart-grid)" />
        <YAxis tick={axisTick} stroke="var(--chart-grid)" width={72} {...valueAxis(data, series)} />
        <Tooltip content={makeTooltip(series)} cursor={{ fill: "var(--chart-cursor)" }} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={colour(s)}
            radius={[3, 3, 0, 0]}
            maxBarSize={56}
            isAnimationActive={animate}
          />
        ))}
      </BarChart>
    </figure>
  );
}

/** Horizontal bars (many categories or long names: agents, reviewers, requests). */
export function RowChart({ data, category, series, summary, height }: ChartProps) {
  const h = height ?? Math.max(120, 36 * data.length + 40);
  return (
    <figure aria-label={summary} className="m-0">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: h }}
        data={data}
        margin={{ top: 4, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke="var(--chart-grid)" horizontal={false} />
        <XAxis
          type="number"
          tick={axisTick}
          stroke="var(--chart-grid)"
          {...valueAxis(data, series)}
        />
        <YAxis
          type="category"
          dataKey={category}
          tick={<CategoryTick />}
          stroke="var(--chart-grid)"
          width={190}
          interval={0}
        />
        <Tooltip content={makeTooltip(series)} cursor={{ fill: "var(--chart-cursor)" }} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={colour(s)}
            radius={[0, 3, 3, 0]}
            barSize={14}
            isAnimationActive={animate}
          />
        ))}
      </BarChart>
    </figure>
  );
}

/** Lines over time (average and p90). Gaps where a bucket has no decisions. */
export function TrendChart({ data, category, series, summary, height = 260 }: ChartProps) {
  return (
    <figure aria-label={summary} className="m-0">
      <LineChart
        responsive
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
        <XAxis dataKey={category} tick={axisTick} stroke="var(--chart-grid)" minTickGap={24} />
        <YAxis tick={axisTick} stroke="var(--chart-grid)" width={72} {...valueAxis(data, series)} />
        <Tooltip content={makeTooltip(series)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.name}
            stroke={colour(s)}
            strokeWidth={2}
            dot={data.length <= 40 ? { r: 3, fill: colour(s) } : false}
            connectNulls={false}
            isAnimationActive={animate}
          />
        ))}
      </LineChart>
    </figure>
  );
}
