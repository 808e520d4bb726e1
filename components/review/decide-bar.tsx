"use client";

import { useEffect, useState } from "react";

/**
 * Phones and narrow windows: once the decision box has scrolled out of view (the
 * reviewer is reading the diff below it), a bar fixed to the bottom of the screen
 * brings it back with one tap and puts the cursor in its text field.
 */
export function DecideBar({ target, label }: { target: string; label: string }) {
  const [away, setAway] = useState(false);

  useEffect(() => {
    const box = document.getElementById(target);
    if (!box || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) setAway(!entry.isIntersecting);
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [target]);

  if (!away) return null;
  return (
    <div className="fixed inset-x-0 bottom-0 z-20 border-t border-zinc-200 bg-white/95 p-3 lg:hidden dark:border-zinc-800 dark:bg-zinc-900/95">
      <a
        href={`#${target}`}
        data-testid="decide-bar"
        onClick={(e) => {
          const box = document.getElementById(target);
          if (!box) return;
          e.preventDefault();
          box.scrollIntoView({ block: "start" });
          const field =
            box.querySelector<HTMLElement>("form textarea") ??
            box.querySelector<HTMLElement>("form button");
          field?.focus({ preventScroll: true });
        }}
        className="flex min-h-11 w-full items-center justify-center rounded-md bg-zinc-900 px-4 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        {label}
      </a>
    </div>
  );
}
