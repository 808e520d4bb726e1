"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { isTypingTarget, modalOpen } from "./is-typing";
import { nextSelection } from "./selection";

const GO: Record<string, { href: string; label: string }> = {
  i: { href: "/", label: "Inbox" },
  h: { href: "/history", label: "History" },
  m: { href: "/metrics", label: "Metrics" },
};

const SHORTCUTS: { keys: string[]; what: string; where: string }[] = [
  { keys: ["j"], what: "Select the next request", where: "Inbox" },
  { keys: ["k"], what: "Select the previous request", where: "Inbox" },
  { keys: ["Enter"], what: "Open the selected request", where: "Inbox" },
  { keys: ["a"], what: "Approve", where: "Approval review" },
  { keys: ["r"], what: "Reject (focuses the comment)", where: "Approval review" },
  { keys: ["j / k"], what: "Next / previous hunk", where: "Diff review" },
  { keys: ["y / n"], what: "Keep (accept) / drop (reject) the hunk", where: "Diff review" },
  { keys: ["e"], what: "Edit the hunk's new side (Esc leaves the editor)", where: "Diff review" },
  { keys: ["Y / N"], what: "Keep / drop the hunk's whole file", where: "Diff review" },
  {
    keys: ["1–9"],
    what: "Choose option 1–9 (one choice: sends it; several: ticks it)",
    where: "Question review",
  },
  { keys: ["g", "i"], what: "Go to the inbox", where: "Anywhere" },
  { keys: ["g", "h"], what: "Go to history", where: "Anywhere" },
  { keys: ["g", "m"], what: "Go to metrics", where: "Anywhere" },
  { keys: ["?"], what: "Show this list", where: "Anywhere" },
  { keys: ["Esc"], what: "Close this dialog", where: "Dialog" },
];

/**
 * Site-wide keys: `?` opens the shortcuts dialog (a native modal <dialog>: the page
 * behind is inert, focus stays inside, Escape closes, focus returns to where it was),
 * `g` then `i`/`h`/`m` navigates, `j`/`k` move the selection between inbox entries
 * (links marked `data-inbox-link`). Ignored while typing in a field.
 *
 * It lives in the site header, which hydrates before the streamed page below it, so
 * the keys work on the server-rendered list as soon as the header is interactive.
 */
export function KeyboardShortcuts() {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    let pendingG = 0;
    let lastSelected = -1;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e)) return;
      if (e.key === "?") {
        if (modalOpen()) return;
        e.preventDefault();
        dialogRef.current?.showModal();
        return;
      }
      if (modalOpen()) return;
      if (e.key === "g") {
        pendingG = performance.now();
        return;
      }
      if (e.key === "j" || e.key === "k") {
        pendingG = 0;
        const links = Array.from(document.querySelectorAll<HTMLElement>("a[data-inbox-link]"));
        const next = nextSelection(
          e.key,
          links.length,
          links.indexOf(document.activeElement as HTMLElement),
          lastSelected,
        );
        if (next === null) return;
        e.preventDefault();
        lastSelected = next;
        links[next]!.focus();
        links[next]!.scrollIntoView({ block: "nearest" });
        return;
      }
      const go = GO[e.key];
      if (go && pendingG && performance.now() - pendingG < 1500) {
        e.preventDefault();
        pendingG = 0;
        router.push(go.href);
        return;
      }
      pendingG = 0;
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <>
      <button
        type="button"
        onClick={() => dialogRef.current?.showModal()}
        className="rounded px-2 py-1 text-xs whitespace-nowrap max-sm:hidden text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        aria-haspopup="dialog"
        aria-label="Keyboard shortcuts"
      >
        <span aria-hidden="true" className="hidden sm:inline">
          ⌨ Shortcuts{" "}
        </span>
        <kbd aria-hidden="true" className="font-mono">
          ?
        </kbd>
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby="shortcuts-title"
        className="m-auto w-full max-w-lg rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        onClick={(e) => {
          if (e.target === e.currentTarget) e.currentTarget.close(); // click on the backdrop
        }}
      >
        <div className="p-5">
          <div className="mb-3 flex items-center justify-between">
            <h2 id="shortcuts-title" className="text-lg font-semibold">
              Keyboard shortcuts
            </h2>
            <form method="dialog">
              <button
                type="submit"
                autoFocus
                className="rounded px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                Close
              </button>
            </form>
          </div>
          <table className="w-full text-sm">
            <thead className="sr-only">
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Action</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {SHORTCUTS.map((s) => (
                <tr key={s.keys.join(" ")}>
                  <td className="py-1.5 pr-3 whitespace-nowrap">
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 ? <span className="px-1 text-zinc-500">then</span> : null}
                        <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800">
                          {k}
                        </kbd>
                      </span>
                    ))}
                  </td>
                  <td className="py-1.5 pr-3">{s.what}</td>
                  <td className="py-1.5 text-zinc-500 dark:text-zinc-400">{s.where}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
            Shortcuts do nothing while you type in a field.
          </p>
        </div>
      </dialog>
    </>
  );
}
