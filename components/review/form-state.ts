import type { FormState } from "@/lib/forms";

/** What a decision server action returns for expected failures: FormState, or a conflict. */
export interface DecisionFormState extends FormState {
  /** someone else decided first (or it expired): what happened, shown instead of the form */
  conflict?: {
    outcome: "approved" | "rejected" | "answered" | "expired" | "superseded";
    by: string | null;
    /** ISO time of the decision or expiry */
    at: string | null;
    comment: string | null;
    /** superseded: the revision that replaced it */
    successor?: string | null;
  };
}

/** A multiple-choice question's options, as its decision form offers them. */
export interface Choice {
  options: string[];
  multiSelect: boolean;
  allowText: boolean;
}

export const initialDecisionState: DecisionFormState = {};
