export default function HistoryLoading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-3">
      <span className="sr-only">Loading history…</span>
      <div className="h-7 w-32 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-24 rounded bg-zinc-200 dark:bg-zinc-800" />
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-10 rounded bg-zinc-200 dark:bg-zinc-800" />
      ))}
    </div>
  );
}
