"use client";

import { useActionState } from "react";
import { setupAction } from "@/app/setup/actions";
import { buttonClass, Field, FormMessage, type FormState } from "./field";

/** `needsToken`: the visitor is not on the server's machine (see server/auth/setup-token.ts). */
export function SetupForm({ needsToken = false }: { needsToken?: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setupAction, {});
  const e = state.errors ?? {};
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-4">
      {state.message ? <FormMessage kind="error">{state.message}</FormMessage> : null}
      {needsToken ? (
        <Field
          id="token"
          label="Setup token"
          autoComplete="off"
          spellCheck={false}
          required
          hint="Printed by the server when it started (npm start). Not needed when you open this page on the server's own machine."
          error={e.token}
        />
      ) : null}
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
