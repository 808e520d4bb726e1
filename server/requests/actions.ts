"use server";

import type { DecisionFormState } from "@/components/review/form-state";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import { formAction } from "@/server/forms";
import { decideFromForm } from "./forms";

const decideAs = (kind: RequestKind) =>
  formAction<DecisionFormState>("decide", async (form, principal) => {
    const result = await decideFromForm(kind, principal!, form);
    return result.ok ? { redirect: result.href } : result.state;
  });

/**
 * Approve/reject or answer from a review page (bound to its kind there); on success go to
 * the next pending item.
 */
export async function decideAction(
  kind: RequestKind,
  previous: DecisionFormState,
  form: FormData,
): Promise<DecisionFormState> {
  if (!REQUEST_KINDS.includes(kind)) return { message: "Unknown kind of request." };
  return decideAs(kind)(previous, form);
}
