"use server";

import { redirect } from "next/navigation";
import type { DecisionFormState } from "@/components/review/form-state";
import { requireActionPrincipal } from "@/server/auth/session";
import { submitApprovalDecision } from "./decide";

/** Approve or reject (form fields id, decision, comment); on success go to the next pending item. */
export async function decideApprovalAction(
  _previous: DecisionFormState,
  formData: FormData,
): Promise<DecisionFormState> {
  const auth = await requireActionPrincipal("decide");
  if (!auth.ok) return { message: auth.message };
  const result = await submitApprovalDecision(auth.principal, formData);
  if (!result.ok) return result.state;
  redirect(result.href);
}
