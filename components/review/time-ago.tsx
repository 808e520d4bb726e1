import { formatDuration } from "@/lib/format";

/** "3 min ago" / "in 2 h" with the exact UTC time on hover and for assistive tech. */
export function TimeAgo({ date, now }: { date: Date; now: Date }) {
  const diff = now.getTime() - date.getTime();
  const exact = `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
  const relative = diff >= 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
  return (
    <time
      dateTime={date.toISOString()}
      title={exact}
      className="underline decoration-dotted underline-offset-2"
    >
      {relative}
      <span className="sr-only"> ({exact})</span>
    </time>
  );
}
