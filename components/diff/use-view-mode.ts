"use client";

import { useSyncExternalStore } from "react";

export type ViewMode = "split" | "unified";

const KEY = "nexus.diff.view";
/** the same choice for the server (components/diff/review-diff.tsx renders that layout first) */
export const VIEW_COOKIE = "nexus-diff-view";
const listeners = new Set<() => void>();
/** this tab's choice, used when localStorage is unavailable (blocked storage, quota) */
let chosen: ViewMode | null = null;

function read(): ViewMode {
  try {
    const stored = window.localStorage.getItem(KEY);
    if (stored === "unified" || stored === "split") return stored;
  } catch {
    // storage blocked: fall through to this tab's choice
  }
  return chosen ?? (narrow() ? "unified" : "split");
}

/** Phones and narrow windows read a unified diff by default: split needs two columns of code. */
const NARROW = "(max-width: 767px)";
function narrow(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia(NARROW).matches;
}

function writeCookie(mode: ViewMode) {
  document.cookie = `${VIEW_COOKIE}=${mode}; path=/; max-age=31536000; samesite=lax`;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // a choice stored before the server read the cookie: tell the server too
  try {
    const stored = window.localStorage.getItem(KEY);
    if (
      (stored === "split" || stored === "unified") &&
      !document.cookie.includes(`${VIEW_COOKIE}=${stored}`)
    )
      writeCookie(stored);
  } catch {
    // storage blocked
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  // turning a phone or resizing the window changes the default
  const media = typeof window.matchMedia === "function" ? window.matchMedia(NARROW) : null;
  media?.addEventListener("change", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
    media?.removeEventListener("change", listener);
  };
}

export function setViewMode(mode: ViewMode) {
  chosen = mode;
  writeCookie(mode);
  try {
    window.localStorage.setItem(KEY, mode);
  } catch {
    // not remembered across visits, but still switched for this page
  }
  for (const listener of listeners) listener();
}

/**
 * Split or unified diff view (unified by default on narrow screens), remembered in
 * localStorage (and a cookie, so the server renders it) and kept in sync across tabs.
 * `initial`: the layout the server rendered, used while hydrating.
 */
export function useViewMode(initial: ViewMode = "split"): ViewMode {
  return useSyncExternalStore(subscribe, read, () => initial);
}
