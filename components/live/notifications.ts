"use client";

import { useSyncExternalStore } from "react";

/*
 * Browser notifications are opt-in twice: the browser's permission (asked only when the
 * reviewer presses the button) and this browser's choice in localStorage, so turning
 * them off here needs no trip to the site settings.
 */

export type NotifyState = "unsupported" | "denied" | "default" | "off" | "on";

const KEY = "nexus.notifications";
const listeners = new Set<() => void>();
/** this tab's choice when localStorage is unavailable */
let chosen: "on" | "off" | null = null;

function supported(): boolean {
  return typeof window !== "undefined" && typeof window.Notification === "function";
}

function wanted(): boolean {
  try {
    const stored = window.localStorage.getItem(KEY);
    if (stored === "on" || stored === "off") return stored === "on";
  } catch {
    // storage blocked: this tab's choice
  }
  return chosen === "on";
}

export function notifyState(): NotifyState {
  if (!supported()) return "unsupported";
  const permission = window.Notification.permission;
  if (permission === "denied") return "denied";
  if (permission === "default") return "default";
  return wanted() ? "on" : "off";
}

function emit() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  // the permission can change in the site settings while the page is open
  const onFocus = () => listener();
  window.addEventListener("storage", onStorage);
  window.addEventListener("focus", onFocus);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
    window.removeEventListener("focus", onFocus);
  };
}

function remember(value: "on" | "off") {
  chosen = value;
  try {
    window.localStorage.setItem(KEY, value);
  } catch {
    // remembered for this tab only
  }
  emit();
}

/** Ask the browser (if not yet granted) and turn notifications on in this browser. */
export async function enableNotifications(): Promise<NotifyState> {
  if (!supported()) return "unsupported";
  let permission = window.Notification.permission;
  if (permission === "default") permission = await window.Notification.requestPermission();
  if (permission === "granted") remember("on");
  else emit();
  return notifyState();
}

export function disableNotifications() {
  remember("off");
}

/** The notification state of this browser, "unsupported" during server rendering. */
export function useNotifyState(): NotifyState {
  return useSyncExternalStore(subscribe, notifyState, () => "unsupported");
}
