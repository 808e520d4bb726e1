/** What a decision server action returns for expected failures (design.md: `{ errors, message }`). */
export interface DecisionFormState {
  /** field → messages, shown next to the field */
  errors?: Partial<Record<"comment" | "response" | "decision" | "id", string[]>>;
  /** a message for the whole form */
  message?: string;
  /** someone else decided first (or it expired): what happened, shown instead of the form */
  conflict?: {
    outcome: "approved" | "rejected" | "answered" | "expired";
    by: string | null;
    /** ISO time of the decision or expiry */
    at: string | null;
    comment: string | null;
  };
}

export const initialDecisionState: DecisionFormState = {};
