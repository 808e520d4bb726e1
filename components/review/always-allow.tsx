"use client";

import { useState } from "react";

/**
 * "Always allow this" beside Approve: ticking it shows the proposed rule (lib/rules/
 * propose.ts) as editable JSON, saved as a rule when the request is approved. Only
 * admins see it (rules are theirs to manage; revocable in Settings → Rules).
 */
export function AlwaysAllow({ proposal, error }: { proposal: string; error?: string }) {
  const [on, setOn] = useState(!!error);
  const [text, setText] = useState(proposal);
  return (
    <div className="mt-3 rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
      <label className="flex min-h-11 cursor-pointer items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="always_allow"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
          className="size-4"
        />
        Always allow requests like this (adds a rule when you approve)
      </label>
      {on ? (
        <div className="mt-1 space-y-1">
          <label htmlFor="always-allow-rule" className="block text-xs font-medium">
            Rule (JSON): edit its scope before approving
          </label>
          <textarea
            id="always-allow-rule"
            name="always_allow_rule"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={Math.min(12, text.split("\n").length + 1)}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "always-allow-error" : undefined}
            className={`w-full rounded-md border bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-950 ${error ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
          />
          {error ? (
            <p
              id="always-allow-error"
              role="alert"
              className="text-sm font-medium whitespace-pre-line text-red-700 dark:text-red-400"
            >
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
