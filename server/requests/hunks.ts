import "server-only";
import type { HunksDecision } from "@/db/queries/request-store";
import type { DecisionInput } from "@/lib/api/schemas";
import { reviewDiff } from "@/lib/diff/review";
import { ApiError } from "@/server/api/errors";

/*
 * A decision's `hunks` and `edits` on a request's diff (approvals, and tool calls whose
 * diff can be split): what the store records of it, or a 400 naming what is wrong. Every
 * decision of a diff records its hunks, so the agent sees them whatever the reviewer did.
 */

const refuse = (message: string, details: { path: string; message: string }[]) => {
  throw new ApiError("invalid_request", message, details);
};

/** `splittable` false: the diff cannot be decided hunk by hunk (`why` says why). */
export function hunksDecision(
  diff: string | null,
  input: DecisionInput,
  { splittable = true, why = "" }: { splittable?: boolean; why?: string } = {},
): HunksDecision | null {
  const choices = input.hunks ?? [];
  const edits = input.edits ?? [];
  const asked = choices.length > 0 || edits.length > 0;
  if (asked && (!splittable || diff === null)) {
    refuse("The decision is invalid.", [
      { path: choices.length ? "hunks" : "edits", message: why || "This request has no diff" },
    ]);
  }
  if (diff === null) return null;
  // on a rejection nothing applies: the notes are kept, every hunk is not accepted
  const outcome = reviewDiff(diff, choices, input.approved ? edits : []);
  if (!outcome.ok) {
    if (!asked) return null; // a diff that does not parse: decided whole, as before
    return refuse(
      `The decision names hunks the diff does not have: ${outcome.problems[0]!.message}.`,
      outcome.problems,
    );
  }
  const { review } = outcome;
  if (review.total === 0) return null;
  if (input.approved && review.accepted === 0) {
    refuse("The decision is invalid.", [
      {
        path: "hunks",
        message: "Every hunk is rejected: reject the request instead (approved: false)",
      },
    ]);
  }
  const hunks = input.approved
    ? review.hunks
    : review.hunks.map((h) => ({ ...h, accepted: false, edited: false }));
  const whole = review.accepted === review.total && !review.edited;
  return {
    hunks,
    appliedDiff: input.approved && !whole ? review.appliedDiff : null,
    edited: input.approved && review.edited,
    accepted: input.approved ? review.accepted : 0,
    total: review.total,
  };
}
