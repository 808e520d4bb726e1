import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { z } from "zod";
import { DiffView } from "@/components/diff/diff-view";
import { ApprovalForm } from "@/components/review/approval-form";
import { DecisionRecord } from "@/components/review/decision-record";
import { DoneBanner } from "@/components/review/done-banner";
import { RequestMeta } from "@/components/review/request-meta";
import { StatusBadge } from "@/components/review/status-badge";
import { getApproval } from "@/db/queries/decisions";
import { can } from "@/lib/auth/principal";
import { requirePagePrincipal } from "@/server/auth/session";
import { approvalStatus } from "@/lib/domain/status";
import { decideApprovalAction } from "./actions";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const load = cache(async (id: string) => (z.guid().safeParse(id).success ? getApproval(id) : null));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  const row = await load((await params).id);
  return { title: row ? `Review ${row.filePath}` : "Approval not found" };
}

export default async function ApprovalPage({ params, searchParams }: Props) {
  await connection();
  const principal = await requirePagePrincipal("read");
  const { id } = await params;
  const row = await load(id);
  if (!row) notFound();
  const now = new Date();
  const status = approvalStatus(row, now);
  const requestedAt = row.timestamp ?? row.createdAt;

  return (
    <article aria-labelledby="request-title">
      <DoneBanner done={(await searchParams).done} />
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/" className="hover:underline">
          Inbox
        </Link>{" "}
        / Approval
      </nav>
      <div className="mb-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0">
          <div className="mb-2 flex flex-wrap items-center gap-3">
            <h1 id="request-title" className="break-all font-mono text-xl font-semibold">
              {row.filePath}
            </h1>
            <StatusBadge status={status} />
          </div>
          {row.description ? (
            <p className="mb-3 max-w-prose whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">
              {row.description}
            </p>
          ) : (
            <p className="mb-3 text-zinc-500 italic">No description.</p>
          )}
          <RequestMeta
            agentId={row.agentId}
            requestedAt={requestedAt}
            expiresAt={row.expiresAt}
            now={now}
          />
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          {status === "pending" ? (
            can(principal, "decide") ? (
              <ApprovalForm id={row.id} action={decideApprovalAction} />
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Waiting for a reviewer. Your role can read requests but not decide them.
              </p>
            )
          ) : (
            <DecisionRecord
              outcome={status}
              by={row.decidedBy}
              at={status === "expired" ? row.expiresAt : row.approvedAt}
              text={row.comment}
              textLabel="Comment"
              now={now}
            />
          )}
        </div>
      </div>
      <section aria-labelledby="changes-title">
        <h2 id="changes-title" className="sr-only">
          Changes
        </h2>
        <DiffView diff={row.diff} fallbackPath={row.filePath} />
      </section>
    </article>
  );
}
