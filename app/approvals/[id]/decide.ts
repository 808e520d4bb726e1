import "server-only";
import { z } from "zod";
import { decideApproval } from "@/db/queries/decisions";
import { nextPendingHref } from "@/db/queries/next-pending";
import type { DecisionFormState } from "@/components/review/form-state";
import { actorName, type Principal } from "@/lib/auth/principal";

export const MAX_COMMENT = 10_000;

export const approvalDecisionSchema = z
  .object({
    id: z.guid("This request id is not valid."),
    decision: z.enum(["approve", "reject"], "Choose Approve or Reject."),
    comment: z
      .string()
      .max(MAX_COMMENT, `Keep the comment under ${MAX_COMMENT.toLocaleString("en")} characters.`)
      .optional()
      .transform((v) => v?.trim() ?? ""),
  })
  .superRefine((value, ctx) => {
    if (value.decision === "reject" && value.comment === "") {
      ctx.addIssue({
        code: "custom",
        path: ["comment"],
        message: "A comment is required to reject: tell the agent what to change.",
      });
    }
  });

const field = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

/**
 * The approval form's work, separate from the server action so it can be tested without
 * Next's request context: validate, record through the one domain function, and say
 * where to go next. Expected failures come back as form state; nothing is changed then.
 */
export async function submitApprovalDecision(
  principal: Principal,
  formData: FormData,
): Promise<{ ok: true; href: string } | { ok: false; state: DecisionFormState }> {
  const parsed = approvalDecisionSchema.safeParse({
    id: field(formData, "id"),
    decision: field(formData, "decision"),
    comment: field(formData, "comment"),
  });
  if (!parsed.success) {
    const errors: DecisionFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof NonNullable<DecisionFormState["errors"]>;
      (errors[key] ??= []).push(issue.message);
    }
    // field errors are shown at the field; the others (id, decision) as the form's message
    const message = errors.id?.[0] ?? errors.decision?.[0];
    return { ok: false, state: { errors, message } };
  }
  const { id, decision, comment } = parsed.data;
  const result = await decideApproval({
    id,
    approved: decision === "approve",
    comment: comment || null,
    decidedBy: actorName(principal),
  });
  if (result.ok) {
    return {
      ok: true,
      href: await nextPendingHref(decision === "approve" ? "approved" : "rejected"),
    };
  }
  if (result.reason === "not_found" || !result.row) {
    return { ok: false, state: { message: "This request no longer exists." } };
  }
  const row = result.row;
  return {
    ok: false,
    state: {
      conflict:
        result.reason === "expired"
          ? {
              outcome: "expired",
              by: null,
              at: row.expiresAt?.toISOString() ?? null,
              comment: null,
            }
          : {
              outcome: row.approved ? "approved" : "rejected",
              by: row.decidedBy,
              at: row.approvedAt?.toISOString() ?? null,
              comment: row.comment,
            },
    },
  };
}
