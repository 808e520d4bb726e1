/** "3 min 12 s", "2 h 5 min", "4 d 3 h": human durations for ages and response times. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  if (s < 1) return `${Math.round(Math.abs(ms))} ms`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d
    ? [`${d} d`, h ? `${h} h` : ""]
    : h
      ? [`${h} h`, m ? `${m} min` : ""]
      : m
        ? [`${m} min`, s ? `${s} s` : ""]
        : [`${s} s`];
  return (neg ? "-" : "") + parts.filter(Boolean).join(" ");
}
