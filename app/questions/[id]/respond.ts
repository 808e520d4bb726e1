import "server-only";
import { z } from "zod";
import type { DecisionFormState } from "@/components/review/form-state";
import { respondToQuestion } from "@/db/queries/decisions";
import { nextPendingHref } from "@/db/queries/next-pending";
import { actorName, type Principal } from "@/lib/auth/principal";

export const MAX_ANSWER = 20_000;

export const answerSchema = z.object({
  id: z.guid("This request id is not valid."),
  response: z
    .string("Write an answer before sending.")
    .trim()
    .min(1, "Write an answer before sending.")
    .max(MAX_ANSWER, `Keep the answer under ${MAX_ANSWER.toLocaleString("en")} characters.`),
});

/** The answer form's work (validate, record, next item), testable without Next's request context. */
export async function submitAnswer(
  principal: Principal,
  formData: FormData,
): Promise<{ ok: true; href: string } | { ok: false; state: DecisionFormState }> {
  const value = (name: string) => {
    const v = formData.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = answerSchema.safeParse({ id: value("id"), response: value("response") });
  if (!parsed.success) {
    const errors: DecisionFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof NonNullable<DecisionFormState["errors"]>;
      (errors[key] ??= []).push(issue.message);
    }
    return { ok: false, state: { errors, message: errors.id?.[0] } };
  }
  const result = await respondToQuestion({
    id: parsed.data.id,
    response: parsed.data.response,
    respondedBy: actorName(principal),
  });
  if (result.ok) return { ok: true, href: await nextPendingHref("answered") };
  if (result.reason === "not_found" || !result.row) {
    return { ok: false, state: { message: "This question no longer exists." } };
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
              outcome: "answered",
              by: row.respondedBy,
              at: row.responseAt?.toISOString() ?? null,
              comment: row.response,
            },
    },
  };
}
