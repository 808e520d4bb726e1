"use client";

import { useActionState } from "react";
import {
  changeRoleAction,
  createUserAction,
  setDisabledAction,
} from "@/app/settings/users/actions";
import { buttonClass, Field, FormMessage, secondaryButtonClass, type FormState } from "./field";

const ROLE_HELP = {
  admin: "admin: everything, manages users and keys",
  reviewer: "reviewer: decides and answers",
  viewer: "viewer: reads only",
} as const;

function RoleSelect({
  id,
  defaultValue,
  label,
}: {
  id: string;
  defaultValue: string;
  label: string;
}) {
  return (
    <div className="min-w-0 max-w-full space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        name="role"
        defaultValue={defaultValue}
        className="max-w-full rounded border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {Object.entries(ROLE_HELP).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function UserCreateForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createUserAction, {});
  const e = state.errors ?? {};
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-3" key={state.ok ? state.message : "form"}>
      {state.message ? (
        <FormMessage kind={state.ok ? "ok" : "error"}>{state.message}</FormMessage>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field
          id="email"
          label="Email"
          type="email"
          required
          autoComplete="off"
          defaultValue={v.email}
          error={e.email}
        />
        <Field
          id="name"
          label="Name"
          autoComplete="off"
          hint="Optional."
          defaultValue={v.name}
          error={e.name}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          hint="At least 8 characters; tell the person, they can change it in Settings → Account."
          error={e.password}
        />
        <RoleSelect id="role" label="Role" defaultValue={v.role || "reviewer"} />
      </div>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}

export function UserRoleForm({ id, email, role }: { id: string; email: string; role: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(changeRoleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <RoleSelect id={`role-${id}`} label={`Role of ${email}`} defaultValue={role} />
      <button type="submit" className={secondaryButtonClass} disabled={pending}>
        {pending ? "Saving…" : "Change role"}
      </button>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`w-full text-xs ${state.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

/** Disable (or enable) a user: one button, the server decides whether it may. */
export function UserDisableForm({
  id,
  email,
  disabled,
}: {
  id: string;
  email: string;
  disabled: boolean;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(setDisabledAction, {});
  return (
    <form
      action={action}
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        if (!disabled && !window.confirm(`Disable ${email}? They are signed out at once.`))
          e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <button
        type="submit"
        className={secondaryButtonClass}
        disabled={pending}
        aria-label={`${disabled ? "Enable" : "Disable"} ${email}`}
      >
        {pending ? "Saving…" : disabled ? "Enable" : "Disable"}
      </button>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`w-full text-xs ${state.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
