"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { NexusEvent } from "@/db/events";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import { nextBackoffMs } from "./backoff";
import { confirmDelay } from "./confirm";

export type LiveStatus = "connecting" | "live" | "reconnecting";

export const LIVE_EVENTS = ["request.created", "request.approval", "request.decided"] as const;

/** docs/api.md "Live events" payload: the server's own type (a type-only import, erased). */
export type LiveEvent = NexusEvent;

/**
 * Re-dispatched on window (cancelable) for components that can act before the refresh
 * lands. A listener that has shown the change itself calls preventDefault(): the
 * confirming refresh then waits for a quiet moment (./confirm.ts).
 */
export const LIVE_DOM_EVENT = "nexus:live-event";

const optionalText = (v: unknown) => (typeof v === "string" ? v : undefined);
const optionalNullableText = (v: unknown) =>
  typeof v === "string" ? v : v === null ? null : undefined;

function parseLiveEvent(data: unknown): LiveEvent | null {
  if (typeof data !== "string") return null;
  try {
    const v = JSON.parse(data) as Partial<LiveEvent>;
    if (
      LIVE_EVENTS.includes(v.type as (typeof LIVE_EVENTS)[number]) &&
      REQUEST_KINDS.includes(v.request_type as RequestKind) &&
      typeof v.id === "string"
    ) {
      return {
        type: v.type!,
        request_type: v.request_type as RequestKind,
        id: v.id,
        agent_id: String(v.agent_id),
        timestamp: optionalNullableText(v.timestamp),
        expires_at: optionalNullableText(v.expires_at),
        created_at: optionalNullableText(v.created_at),
        file_path: optionalText(v.file_path),
        description: optionalNullableText(v.description),
        question: optionalText(v.question),
        tool_name: optionalText(v.tool_name),
        title: optionalText(v.title),
        options: Array.isArray(v.options)
          ? v.options.filter((o): o is string => typeof o === "string")
          : v.options === null
            ? null
            : undefined,
      };
    }
  } catch {}
  return null;
}

/**
 * Keeps the current page in step with the server: subscribes to `GET /api/v1/events`
 * (SSE) and, on each request.created / request.decided, re-renders the route's server
 * components (router.refresh(): inbox rows, nav counts, title). A dropped connection
 * is reopened with exponential backoff (1 s … 30 s, jittered), at once when the
 * browser comes back online, and followed by one refresh to catch what was missed.
 * Renders a small status that screen readers hear when it changes.
 */
export function LiveUpdates({ url = "/api/v1/events" }: { url?: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const routerRef = useRef(router);
  useEffect(() => {
    routerRef.current = router;
  }, [router]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let trailingTimer: ReturnType<typeof setTimeout> | undefined;
    let confirmTimer: ReturnType<typeof setTimeout> | undefined;
    let firstUnconfirmed: number | undefined;
    let attempt = 0;
    let connectedBefore = false;
    let lastRefresh = 0;
    let stopped = false;

    // Refresh at once on the first event; coalesce a burst into one trailing refresh.
    const refresh = () => {
      const now = performance.now();
      if (now - lastRefresh >= 150) {
        lastRefresh = now;
        routerRef.current.refresh();
      } else if (!trailingTimer) {
        trailingTimer = setTimeout(
          () => {
            trailingTimer = undefined;
            lastRefresh = performance.now();
            routerRef.current.refresh();
          },
          150 - (now - lastRefresh),
        );
      }
    };

    // One refresh for a series of events already shown, once they pause (./confirm.ts).
    const confirmLater = () => {
      const now = performance.now();
      firstUnconfirmed ??= now;
      clearTimeout(confirmTimer);
      confirmTimer = setTimeout(
        () => {
          confirmTimer = undefined;
          firstUnconfirmed = undefined;
          refresh();
        },
        confirmDelay(now, firstUnconfirmed),
      );
    };

    const onEvent = (e: MessageEvent) => {
      performance.mark(LIVE_DOM_EVENT, { detail: typeof e.data === "string" ? e.data : "" });
      const event = parseLiveEvent(e.data);
      const shown =
        event !== null &&
        !window.dispatchEvent(
          new CustomEvent<LiveEvent>(LIVE_DOM_EVENT, { detail: event, cancelable: true }),
        );
      if (shown) confirmLater();
      else refresh();
    };

    const drop = () => {
      source?.close();
      source = null;
    };

    const schedule = (delay: number) => {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, delay);
    };

    function connect() {
      if (stopped) return;
      drop();
      if (typeof navigator !== "undefined" && navigator.onLine === false) {
        setStatus("reconnecting");
        return; // the "online" listener reconnects
      }
      const es = new EventSource(url);
      source = es;
      es.onopen = () => {
        attempt = 0;
        setStatus("live");
        if (connectedBefore) refresh(); // catch up on what happened while away
        connectedBefore = true;
      };
      es.onmessage = onEvent;
      for (const name of LIVE_EVENTS) es.addEventListener(name, onEvent);
      es.onerror = () => {
        if (source !== es) return;
        drop();
        setStatus("reconnecting");
        schedule(nextBackoffMs(attempt++));
      };
    }

    const goOffline = () => {
      drop();
      clearTimeout(retryTimer);
      // a refresh now would fail (Next then navigates the whole page to the browser's
      // offline page); the catch-up refresh on reconnect replaces them
      clearTimeout(trailingTimer);
      clearTimeout(confirmTimer);
      trailingTimer = confirmTimer = firstUnconfirmed = undefined;
      setStatus("reconnecting");
    };
    const goOnline = () => {
      attempt = 0;
      schedule(0);
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    schedule(0);
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(trailingTimer);
      clearTimeout(confirmTimer);
      drop();
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
    };
  }, [url]);

  return <LiveStatusBadge status={status} />;
}

export function LiveStatusBadge({ status }: { status: LiveStatus }) {
  const text =
    status === "live"
      ? "Live"
      : status === "connecting"
        ? "Connecting…"
        : "Live updates paused — reconnecting…";
  const dot =
    status === "live" ? "bg-emerald-500" : status === "connecting" ? "bg-zinc-400" : "bg-amber-500";
  return (
    <p
      role="status"
      aria-live="polite"
      data-live-status={status}
      className={`flex items-center gap-1.5 text-xs ${status === "reconnecting" ? "font-medium text-amber-800 dark:text-amber-300" : "text-zinc-600 dark:text-zinc-400"}`}
    >
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {text}
    </p>
  );
}
