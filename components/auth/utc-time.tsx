/** A timestamp as "2026-11-26 13:40 UTC" (server-rendered, same for everyone). */
export function UtcTime({ value, empty = "—" }: { value: Date | null; empty?: string }) {
  if (!value) return <span className="text-zinc-500">{empty}</span>;
  const iso = value.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}
