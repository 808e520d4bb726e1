import type { Metadata } from "next";
import { connection } from "next/server";
import { InboxFilters } from "@/components/inbox/inbox-filters";
import { InboxList } from "@/components/inbox/inbox-list";
import type { InboxRow } from "@/components/inbox/types";
import { DocumentTitle } from "@/components/live/document-title";
import { pendingTitle } from "@/components/live/title";
import { countPending, inboxSnapshot, listKnownAgents } from "@/db/queries/inbox";
import { can } from "@/lib/auth/principal";
import { currentPrincipal, requirePagePrincipal } from "@/server/auth/session";
import { parseInboxParams } from "@/lib/inbox/params";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  if (!can(await currentPrincipal(), "read")) return { title: "Inbox" };
  const { total } = await countPending();
  // absolute: the same text DocumentTitle writes after a live refresh. With the layout's
  // template, a refresh's streamed metadata was once applied without it ("(5) Inbox"),
  // overwriting DocumentTitle's "(5) Inbox · Nexus" (e2e live.spec, CI 2026-11-27).
  return { title: { absolute: pendingTitle(total, "Inbox") } };
}

export default async function InboxPage({ searchParams }: Props) {
  await connection();
  const principal = await requirePagePrincipal("read");
  const filter = parseInboxParams(await searchParams);
  const [{ items, counts, now }, agents] = await Promise.all([
    inboxSnapshot({
      type: filter.type,
      agentId: filter.agent,
      order: filter.sort,
      viewer: principal.kind === "user" ? principal.email : null,
    }),
    listKnownAgents(),
  ]);
  const rows: InboxRow[] = items.map((i) => ({
    type: i.type,
    id: i.id,
    agentId: i.agentId,
    title: i.title,
    description: i.description,
    timestampMs: i.timestamp.getTime(),
    expiresAtMs: i.expiresAt?.getTime() ?? null,
    escalated: i.escalated,
    routedToYou: i.routedToViewer,
    approvals: i.approvals,
  }));
  const filtered = filter.type || filter.agent;
  return (
    <section aria-labelledby="inbox-title">
      <DocumentTitle title={pendingTitle(counts.total, "Inbox")} />
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="inbox-title" className="text-xl font-semibold">
          Inbox{" "}
          <span className="text-base font-normal text-zinc-600 dark:text-zinc-400">
            {counts.total} pending · {counts.approval} approval{counts.approval === 1 ? "" : "s"},{" "}
            {counts.question} question{counts.question === 1 ? "" : "s"}
            {counts.tool_call > 0
              ? `, ${counts.tool_call} tool call${counts.tool_call === 1 ? "" : "s"}`
              : null}
          </span>
        </h1>
        <p className="text-xs text-zinc-500 max-sm:hidden dark:text-zinc-400">
          <kbd className="font-mono">j</kbd>/<kbd className="font-mono">k</kbd> to move,{" "}
          <kbd className="font-mono">Enter</kbd> to open, <kbd className="font-mono">?</kbd> for all
          shortcuts
        </p>
      </div>
      <InboxFilters agents={agents} type={filter.type} agent={filter.agent} sort={filter.sort} />
      {filtered || rows.length < counts.total ? (
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          Showing {rows.length} of {counts.total} pending.
        </p>
      ) : null}
      <InboxList
        rows={rows}
        serverNowMs={now.getTime()}
        filtered={Boolean(filtered)}
        live={
          // null: where a new request goes is the server's to say (filters, grouping,
          // or a list cut short that it would join at the far end)
          filtered || filter.sort === "agent"
            ? null
            : filter.sort === "newest"
              ? "prepend"
              : rows.length < counts.total
                ? null
                : "append"
        }
      />
    </section>
  );
}
