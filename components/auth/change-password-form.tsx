"use client";

import { useActionState } from "react";
import { changePasswordAction } from "@/app/settings/account/actions";
import { buttonClass, Field, FormMessage, type FormState } from "./field";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(changePasswordAction, {});
  const e = state.errors ?? {};
  return (
    <form action={action} className="max-w-sm space-y-4">
      {state.message ? <FormMessage kind="error">{state.message}</FormMessage> : null}
      <Field
        id="current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        error={e.current}
      />
      <Field
        id="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        error={e.password}
      />
      <Field
        id="confirm"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirm}
      />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
