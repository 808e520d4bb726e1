/*
 * What every server action behind a form returns (design: `{ errors, message }`): field
 * errors shown at their field, one message for the whole form. Pure types, shared by
 * the actions (server/forms.ts) and the form components.
 */
export interface FormState {
  ok?: boolean;
  /** a message for the whole form */
  message?: string;
  /** field name → its message, shown next to the field */
  errors?: Record<string, string>;
  /** Non-secret values to put back after a failed submission (React resets the form). */
  values?: Record<string, string>;
}
