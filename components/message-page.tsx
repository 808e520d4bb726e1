import Link from "next/link";

/** A page that only says something (not found, not allowed), with the way back to the inbox. */
export function MessagePage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">{children}</p>
      <Link
        href="/"
        className="mt-6 inline-block rounded bg-zinc-900 px-4 py-2 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        Back to the inbox
      </Link>
    </div>
  );
}
