import Link from "next/link";
import { KINDS, pagePath, type RequestKind } from "@/lib/domain/kinds";
import type { DecisionFormState } from "./form-state";

const VERB = {
  approved: "approved",
  rejected: "rejected",
  answered: "answered",
  expired: "expired",
  superseded: "superseded",
} as const;

/** Someone else decided first (or the request expired): say who, what and when; nothing changed. */
export function ConflictNotice({
  conflict,
  kind,
}: {
  conflict: NonNullable<DecisionFormState["conflict"]>;
  kind: RequestKind;
}) {
  const at = conflict.at ? `${conflict.at.replace("T", " ").slice(0, 19)} UTC` : null;
  return (
    <div
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">
        {conflict.outcome === "expired"
          ? `This ${KINDS[kind].words.noun} expired${at ? ` at ${at}` : ""} before your decision was recorded.`
          : conflict.outcome === "superseded"
            ? `The agent sent a revision of this ${KINDS[kind].words.noun} before your decision was recorded.`
            : `Already ${VERB[conflict.outcome]} by ${conflict.by ?? "someone else"}${at ? ` at ${at}` : ""}.`}
      </p>
      {conflict.comment ? (
        <blockquote className="mt-2 whitespace-pre-wrap border-l-4 border-amber-300 pl-3 dark:border-amber-700">
          {conflict.comment}
        </blockquote>
      ) : null}
      <p className="mt-2">Your decision was not recorded; nothing was changed.</p>
      {conflict.successor ? (
        <Link
          href={pagePath(kind, conflict.successor)}
          className="mt-3 mr-4 inline-block font-medium underline underline-offset-2"
        >
          Review the revision
        </Link>
      ) : null}
      <Link href="/" className="mt-3 inline-block font-medium underline underline-offset-2">
        Back to the inbox
      </Link>
    </div>
  );
}
