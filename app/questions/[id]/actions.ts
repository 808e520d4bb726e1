"use server";

import { redirect } from "next/navigation";
import type { DecisionFormState } from "@/components/review/form-state";
import { requireActionPrincipal } from "@/server/auth/session";
import { submitAnswer } from "./respond";

/** Answer a question (form fields id, response); on success go to the next pending item. */
export async function answerQuestionAction(
  _previous: DecisionFormState,
  formData: FormData,
): Promise<DecisionFormState> {
  const auth = await requireActionPrincipal("decide");
  if (!auth.ok) return { message: auth.message };
  const result = await submitAnswer(auth.principal, formData);
  if (!result.ok) return result.state;
  redirect(result.href);
}
