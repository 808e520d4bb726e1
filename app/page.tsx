import Link from "next/link";
import { connection } from "next/server";
import { listPending } from "@/db/queries/inbox";
import { requirePagePrincipal } from "@/lib/auth/session";
import { formatDuration } from "@/lib/format";

export const metadata = { title: "Inbox" };

export default async function InboxPage() {
  await connection();
  await requirePagePrincipal("read");
  const items = await listPending();
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title" className="mb-4 text-xl font-semibold">
        Inbox <span className="text-zinc-500">({items.length} pending)</span>
      </h1>
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          Nothing is waiting for you. New requests from agents appear here.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {items.map((item) => (
            <li key={`${item.type}:${item.id}`} className="flex items-center gap-3 px-4 py-3">
              <span className="w-20 shrink-0 text-xs font-medium uppercase text-zinc-500">
                {item.type}
              </span>
              <Link
                href={`/${item.type === "approval" ? "approvals" : "questions"}/${item.id}`}
                className="min-w-0 flex-1 truncate font-mono text-sm hover:underline"
              >
                {item.title}
              </Link>
              <span className="shrink-0 text-sm text-zinc-500">{item.agentId}</span>
              <span className="w-36 shrink-0 text-right text-sm text-zinc-500">
                waiting {formatDuration(item.waitingMs)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
