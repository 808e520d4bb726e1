"use client";

import { useActionState } from "react";
import { emailPreferenceAction } from "@/app/settings/account/actions";
import { MAX_DIGEST_MINUTES, MIN_DIGEST_MINUTES, type EmailMode } from "@/lib/email/preferences";
import { buttonClass, Field, FormMessage, type FormState } from "./field";

const CHOICES: { mode: EmailMode; label: string; hint: string }[] = [
  { mode: "none", label: "No email", hint: "" },
  { mode: "each", label: "Each new request", hint: "One email per request, as it arrives." },
  {
    mode: "digest",
    label: "A digest",
    hint: "One email listing the requests that arrived, at most every N minutes.",
  },
];

/** Settings → Account: which emails this reviewer gets (escalations come with either choice). */
export function EmailPreferenceForm({
  mode,
  digestMinutes,
}: {
  mode: EmailMode;
  digestMinutes: number;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(emailPreferenceAction, {});
  // uncontrolled: React resets the form after each submission, to these defaults (the
  // values just sent back by the action, else the page's)
  const chosen = (state.values?.mode as EmailMode | undefined) ?? mode;
  const e = state.errors ?? {};
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate>
      {state.message ? (
        <FormMessage kind={state.ok ? "ok" : "error"}>{state.message}</FormMessage>
      ) : null}
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium">Email me</legend>
        {CHOICES.map((c) => (
          <label key={c.mode} className="flex min-h-11 items-start gap-2 text-sm sm:min-h-0">
            <input
              type="radio"
              name="mode"
              value={c.mode}
              defaultChecked={chosen === c.mode}
              className="mt-1"
            />
            <span>
              {c.label}
              {c.hint ? (
                <span className="block text-xs text-zinc-600 dark:text-zinc-400">{c.hint}</span>
              ) : null}
            </span>
          </label>
        ))}
        {e.mode ? <p className="text-sm text-red-700 dark:text-red-400">{e.mode}</p> : null}
      </fieldset>
      <Field
        id="digestMinutes"
        label="Digest every (minutes)"
        type="number"
        inputMode="numeric"
        min={MIN_DIGEST_MINUTES}
        max={MAX_DIGEST_MINUTES}
        defaultValue={state.values?.digestMinutes ?? String(digestMinutes)}
        hint={`${MIN_DIGEST_MINUTES} to ${MAX_DIGEST_MINUTES}. Used when you choose a digest.`}
        error={e.digestMinutes}
      />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Saving…" : "Save email choice"}
      </button>
    </form>
  );
}
