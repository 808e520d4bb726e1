"use client";

import { useRef, useState } from "react";
import { buttonClass, Field, FormMessage } from "./field";

function messageFor(
  status: number,
  body: { code?: string; message?: string },
  retryAfter: string | null,
) {
  if (status === 401) return "Wrong email or password.";
  if (status === 429)
    return (
      body.message ??
      `Too many sign-in attempts from your address. Try again in ${retryAfter ?? "a few"} seconds.`
    );
  if (status === 403 && body.code === "ACCOUNT_DISABLED")
    return body.message ?? "This account is disabled. Ask an admin to enable it.";
  if (status === 403) return "Sign-in was refused: open Nexus at its own address and try again.";
  if (status === 400) return body.message ?? "Check the email and password.";
  return `Sign-in failed (HTTP ${status}). Try again.`;
}

/** Email + password against better-auth's endpoint (its rate limits apply there). */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
      setError(
        messageFor(
          res.status,
          body,
          res.headers.get("retry-after") ?? res.headers.get("x-retry-after"),
        ),
      );
      passwordRef.current?.select();
    } catch {
      setError("Nexus could not be reached. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      {error ? <FormMessage kind="error">{error}</FormMessage> : null}
      <Field id="email" label="Email" type="email" autoComplete="username" required autoFocus />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        ref={passwordRef}
      />
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
