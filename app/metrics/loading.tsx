export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-3">
      <span className="sr-only">Loading…</span>
      <div className="h-6 w-48 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-16 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-16 rounded bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}
