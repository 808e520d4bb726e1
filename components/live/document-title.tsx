"use client";

import { useEffect } from "react";

/**
 * Keeps the tab title ("(3) Inbox · Nexus") in step after live refreshes; the server
 * renders the same title for the first paint.
 */
export function DocumentTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
