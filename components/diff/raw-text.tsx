"use client";

import { useMemo, useState } from "react";
import { LIMITS } from "@/lib/diff/limits";

/** Plain text in a monospace block, first lines only for very long text (never HTML). */
export function RawText({ text, label }: { text: string; label: string }) {
  const lines = useMemo(() => text.split("\n"), [text]);
  const [limit, setLimit] = useState<number>(LIMITS.rawWindowLines);
  const shown = Math.min(limit, lines.length);
  const remaining = lines.length - shown;
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <pre
        aria-label={label}
        tabIndex={0}
        className="max-h-[80vh] overflow-auto p-3 font-mono text-xs leading-5 whitespace-pre"
      >
        {remaining > 0 ? lines.slice(0, shown).join("\n") : text}
      </pre>
      {remaining > 0 ? (
        <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
          <span className="text-zinc-600 dark:text-zinc-400">
            Showing {shown.toLocaleString("en")} of {lines.length.toLocaleString("en")} lines.
          </span>
          <button
            type="button"
            className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            onClick={() => setLimit((l) => l + LIMITS.rawWindowLines * 5)}
          >
            Show {Math.min(remaining, LIMITS.rawWindowLines * 5).toLocaleString("en")} more lines
          </button>
          <button
            type="button"
            className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            onClick={() => setLimit(lines.length)}
          >
            Show all
          </button>
        </div>
      ) : null}
    </div>
  );
}
