"use client";

import { useActionState } from "react";
import { setupAction } from "@/app/setup/actions";
import { buttonClass, Field, FormMessage, type FormState } from "./field";

export function SetupForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(setupAction, {});
  const e = state.errors ?? {};
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-4">
      {state.message ? <FormMessage kind="error">{state.message}</FormMessage> : null}
      <Field
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={v.email}
        error={e.email}
      />
      <Field
        id="name"
        label="Name"
        autoComplete="name"
        hint="Optional; shown in the navigation."
        defaultValue={v.name}
        error={e.name}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        error={e.password}
      />
      <Field
        id="confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirm}
      />
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
        {pending ? "Creating…" : "Create admin account"}
      </button>
    </form>
  );
}
