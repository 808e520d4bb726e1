import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { z } from "zod";
import { AnswerForm } from "@/components/review/answer-form";
import { DecisionRecord } from "@/components/review/decision-record";
import { DoneBanner } from "@/components/review/done-banner";
import { JsonView } from "@/components/review/json-view";
import { RequestMeta } from "@/components/review/request-meta";
import { StatusBadge } from "@/components/review/status-badge";
import { getQuestion } from "@/db/queries/decisions";
import { can } from "@/lib/auth/principal";
import { requirePagePrincipal } from "@/server/auth/session";
import { questionStatus } from "@/lib/domain/status";
import { answerQuestionAction } from "./actions";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const load = cache(async (id: string) => (z.guid().safeParse(id).success ? getQuestion(id) : null));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  const row = await load((await params).id);
  if (!row) return { title: "Question not found" };
  const short = row.question.length > 60 ? `${row.question.slice(0, 57)}…` : row.question;
  return { title: `Question: ${short}` };
}

export default async function QuestionPage({ params, searchParams }: Props) {
  await connection();
  const principal = await requirePagePrincipal("read");
  const row = await load((await params).id);
  if (!row) notFound();
  const now = new Date();
  const status = questionStatus(row, now);
  const hasContext = row.context !== null && row.context !== undefined;

  return (
    <article aria-labelledby="request-title">
      <DoneBanner done={(await searchParams).done} />
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/" className="hover:underline">
          Inbox
        </Link>{" "}
        / Question
      </nav>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-4">
          <div className="flex flex-wrap items-start gap-3">
            <h1
              id="request-title"
              className="min-w-0 flex-1 whitespace-pre-wrap break-words text-xl font-semibold"
            >
              {row.question}
            </h1>
            <StatusBadge status={status} />
          </div>
          <RequestMeta
            agentId={row.agentId}
            requestedAt={row.timestamp ?? row.createdAt}
            expiresAt={row.expiresAt}
            now={now}
          />
          {hasContext ? (
            <JsonView value={row.context} label="Context" />
          ) : (
            <p className="text-sm text-zinc-500 italic">The agent sent no context.</p>
          )}
        </div>
        <div className="h-fit rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          {status === "pending" ? (
            can(principal, "decide") ? (
              <AnswerForm id={row.id} action={answerQuestionAction} />
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Waiting for a reviewer. Your role can read requests but not answer them.
              </p>
            )
          ) : (
            <DecisionRecord
              outcome={status}
              by={row.respondedBy}
              at={status === "expired" ? row.expiresAt : row.responseAt}
              text={row.response}
              textLabel="Answer"
              now={now}
            />
          )}
        </div>
      </div>
    </article>
  );
}
