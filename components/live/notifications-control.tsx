"use client";

import { useState } from "react";
import { disableNotifications, enableNotifications, useNotifyState } from "./notifications";

const STATE_TEXT = {
  unsupported: "This browser cannot show notifications.",
  denied:
    "Blocked: this browser refuses notifications from Nexus. Allow them in the site settings (the icon left of the address), then come back.",
  default: "Off. Your browser will ask for permission when you turn them on.",
  off: "Off in this browser.",
  on: "On: a notification for each new request while the Nexus tab is in the background.",
} as const;

const button =
  "min-h-11 rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 sm:min-h-0 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** Settings → Account: turn this browser's notifications of new requests on or off. */
export function NotificationsControl() {
  const state = useNotifyState();
  const [asking, setAsking] = useState(false);
  return (
    <div className="max-w-prose space-y-3 text-sm" data-notify-state={state}>
      <p aria-live="polite">
        <span className="font-medium">Browser notifications:</span> {STATE_TEXT[state]}
      </p>
      {state === "on" ? (
        <button type="button" className={button} onClick={disableNotifications}>
          Turn off notifications
        </button>
      ) : state === "default" || state === "off" ? (
        <button
          type="button"
          className={button}
          disabled={asking}
          onClick={async () => {
            setAsking(true);
            try {
              await enableNotifications();
            } finally {
              setAsking(false);
            }
          }}
        >
          Turn on notifications
        </button>
      ) : null}
      <p className="text-zinc-600 dark:text-zinc-400">
        The setting belongs to this browser: turn it on on each computer or phone where you want
        them. The tab&apos;s title and icon show the number of waiting requests either way.
      </p>
    </div>
  );
}
