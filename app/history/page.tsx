import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ExportLinks } from "@/components/history/export-links";
import { HistoryFilters } from "@/components/history/history-filters";
import { HistoryPager } from "@/components/history/history-pager";
import { HistoryTable } from "@/components/history/history-table";
import { listHistory } from "@/db/queries/history";
import { listKnownAgents } from "@/db/queries/inbox";
import { requirePagePrincipal } from "@/server/auth/session";
import { parseHistoryParams, type HistoryFilter } from "@/lib/history/params";

export const metadata: Metadata = { title: "History" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function HistoryPage({ searchParams }: Props) {
  await connection();
  await requirePagePrincipal("read");
  const { query, problems } = parseHistoryParams(await searchParams);
  const { cursor, per, ...filter } = query;
  const page = await listHistory(query, per);
  const agents = await listKnownAgents();
  const filtered = Object.values(filter as HistoryFilter).some(Boolean);
  return (
    <section aria-labelledby="history-title">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="history-title" className="text-xl font-semibold">
          History
        </h1>
        <ExportLinks filter={filter} />
      </div>
      <HistoryFilters filter={filter} agents={agents} />
      {problems.length ? (
        <div
          role="alert"
          className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          <ul className="list-inside list-disc">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {page.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {cursor ? (
            <>
              No more entries here.{" "}
              <Link href="/history" className="underline">
                Back to the newest
              </Link>
              .
            </>
          ) : filtered ? (
            "Nothing in the history matches these filters."
          ) : (
            "No decisions yet. Approved, rejected, answered and expired requests appear here."
          )}
        </p>
      ) : (
        <HistoryTable items={page.items} />
      )}
      <HistoryPager filter={{ ...filter, per }} newer={page.newer} older={page.older} />
    </section>
  );
}
