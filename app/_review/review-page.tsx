import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { MessagePage } from "@/components/message-page";
import { CommentsProvider } from "@/components/review/comment-drafts";
import { DecisionForm } from "@/components/review/decision-form";
import { DecideBar } from "@/components/review/decide-bar";
import { DecisionRecord } from "@/components/review/decision-record";
import { DoneBanner } from "@/components/review/done-banner";
import { QuorumStatus } from "@/components/review/quorum-status";
import { RequestMeta } from "@/components/review/request-meta";
import { StatusBadge } from "@/components/review/status-badge";
import { IdParam } from "@/lib/api/schemas";
import { can, type Principal } from "@/lib/auth/principal";
import { describeSuggestions } from "@/lib/domain/tool-calls";
import { proposeRule } from "@/lib/rules/propose";
import { decisionOf, KINDS, statusOf, type RequestKind, type RequestRow } from "@/lib/domain/kinds";
import { requirePagePrincipal } from "@/server/auth/session";
import { decideAction } from "@/server/requests/actions";
import { read } from "@/server/requests/service";
import { KIND_VIEWS, type KindView } from "./kind-views";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/*
 * The review page of every kind (app/approvals/[id] and app/questions/[id] export it).
 * No loading.tsx above it: the lookup finishes before anything is sent, so an unknown
 * id answers 404 and a role without access 403, not 200 with an error body.
 */
export function reviewPage<K extends RequestKind>(kind: K) {
  const view = KIND_VIEWS[kind] as KindView<K>;
  const load = cache(async (id: string): Promise<RequestRow<K> | null> => {
    const parsed = IdParam.safeParse(id);
    return parsed.success ? read(kind, parsed.data) : null;
  });

  async function generateMetadata({ params }: Props): Promise<Metadata> {
    await connection();
    const row = await load((await params).id);
    return { title: row ? view.metaTitle(row) : `${KINDS[kind].words.label} not found` };
  }

  async function ReviewPage({ params, searchParams }: Props) {
    await connection();
    const principal = await requirePagePrincipal("read");
    const row = await load((await params).id);
    if (!row) notFound();
    const now = new Date();
    const status = statusOf(kind, row, now) as Parameters<typeof StatusBadge>[0]["status"];
    const decision = decisionOf(kind, row);
    const { words } = KINDS[kind];
    const query = await searchParams;
    const comments = view.comments?.(row);
    const decidable = status === "pending" && can(principal, "decide");

    return (
      <CommentsProvider saved={comments?.saved ?? null} editable={decidable && !!comments?.diff}>
        <article aria-labelledby="request-title">
          <DoneBanner done={query.done} />
          <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
            <Link href="/" className="hover:underline">
              Inbox
            </Link>{" "}
            / {words.label}
          </nav>
          <div className="mb-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
            <div className="min-w-0 space-y-3">
              <div className="flex flex-wrap items-start gap-3">
                {view.heading(row)}
                <StatusBadge status={status} />
              </div>
              {view.lead?.(row)}
              <RequestMeta
                agentId={row.agentId}
                submittedBy={row.submittedKeyName}
                requestedAt={row.timestamp ?? row.createdAt}
                expiresAt={row.expiresAt}
                now={now}
              />
              <RuleNote ruleName={row.ruleName} routedTo={row.routedTo} />
              {view.aside?.(row)}
            </div>
            <div
              id="decision"
              className="h-fit scroll-mt-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <QuorumStatus
                required={row.requiredApprovals}
                received={row.approvalCount}
                approvers={row.approvers ?? []}
                pending={status === "pending"}
                justApproved={query.approved === "1"}
              />
              {status === "pending" ? (
                can(principal, "decide") ? (
                  <DecisionForm
                    kind={kind}
                    id={row.id}
                    action={decideAction.bind(null, kind)}
                    choice={view.choice?.(row) ?? null}
                    hunks={view.hunks?.(row) ?? false}
                    alwaysAllow={alwaysAllowProposal(kind, row, principal)}
                    sessionAllow={sessionSuggestions(row)}
                  />
                ) : (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    Waiting for a reviewer. Your role can read requests but not {words.verb} them.
                  </p>
                )
              ) : (
                <DecisionRecord
                  outcome={status}
                  by={decision.by}
                  at={status === "expired" ? row.expiresAt : decision.at}
                  text={decision.text}
                  textLabel={words.text}
                  chosen={view.chosen?.(row) ?? null}
                  successorHref={view.successor?.(row) ?? null}
                  hunks={view.decidedHunks?.(row) ?? null}
                  now={now}
                />
              )}
            </div>
          </div>
          {view.below?.(row, decidable)}
          {status === "pending" && can(principal, "decide") ? (
            // the box comes before the diff on a phone; this brings it back from below
            <DecideBar target="decision" label={`${view.decideLabel} ↑`} />
          ) : null}
        </article>
      </CommentsProvider>
    );
  }

  return { generateMetadata, ReviewPage };
}

/** "Always allow" is offered to admins (who manage rules) on kinds that are approved. */
function alwaysAllowProposal<K extends RequestKind>(
  kind: K,
  row: RequestRow<K>,
  principal: Principal,
): string | null {
  if (!can(principal, "admin")) return null;
  const rule = proposeRule(kind, row, row.id.slice(0, 6));
  return rule ? JSON.stringify(rule, null, 2) : null;
}

/** Claude Code's permission_suggestions of a tool call, in words (null: none). */
function sessionSuggestions(row: object): string | null {
  const s = (row as { permissionSuggestions?: Record<string, unknown>[] | null })
    .permissionSuggestions;
  return s?.length ? describeSuggestions(s) : null;
}

/** Which rule matched the request, and who it was routed to. */
function RuleNote({ ruleName, routedTo }: { ruleName: string | null; routedTo: string[] | null }) {
  if (!ruleName) return null;
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="rule-note">
      Matched rule{" "}
      <Link
        href={`/history?rule=${encodeURIComponent(ruleName)}`}
        className="font-mono text-zinc-900 underline dark:text-zinc-100"
      >
        {ruleName}
      </Link>
      {routedTo?.length ? ` · routed to ${routedTo.join(", ")}` : ""}
    </p>
  );
}

/** The not-found page of a kind's review route. */
export function RequestNotFound({ kind }: { kind: RequestKind }) {
  const { noun, label } = KINDS[kind].words;
  return (
    <MessagePage title={`${label} not found`}>
      No {noun} has this id. The link may be mistyped, or it was never submitted.
    </MessagePage>
  );
}
