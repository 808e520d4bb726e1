"use client";

import { useActionState } from "react";
import { revokeApiKeyAction, type RevokeKeyState } from "@/app/settings/api-keys/actions";
import { secondaryButtonClass } from "./field";

export function ApiKeyRevokeButton({ name }: { name: string }) {
  const [state, action, pending] = useActionState<RevokeKeyState, FormData>(revokeApiKeyAction, {});
  return (
    <form
      action={action}
      onSubmit={(ev) => {
        if (!window.confirm(`Revoke the key "${name}"? Agents using it stop working at once.`))
          ev.preventDefault();
      }}
    >
      <input type="hidden" name="name" value={name} />
      <button
        type="submit"
        className={`${secondaryButtonClass} text-red-700 dark:text-red-400`}
        disabled={pending}
        aria-label={`Revoke key ${name}`}
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state.message && !state.ok ? (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
