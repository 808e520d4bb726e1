"use server";

import type { DecisionFormState } from "@/components/review/form-state";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import { formAction } from "@/server/forms";
import { decideFromForm } from "./forms";

/**
 * Approve/reject or answer from a review page (bound to its kind there); on success go to
 * the next pending item.
 */
export async function decideAction(
  kind: RequestKind,
  previous: DecisionFormState,
  form: FormData,
): Promise<DecisionFormState> {
  const run = formAction<DecisionFormState>("decide", async (form, principal) => {
    // bound by the page, but an action can be posted by hand with any arguments
    if (!REQUEST_KINDS.includes(kind)) return { message: "Unknown kind of request." };
    const result = await decideFromForm(kind, principal, form);
    return result.ok ? { redirect: result.href } : result.state;
  });
  return run(previous, form);
}
