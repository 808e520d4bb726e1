"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { pagePath } from "@/lib/domain/kinds";
import { LIVE_DOM_EVENT, type LiveEvent } from "./live-updates";
import { notifyState } from "./notifications";
import { drawBadgeIcon, notificationFor, withCount } from "./title";

/**
 * Draws attention to waiting requests on every page of a signed-in reviewer: the pending
 * count in the tab title and as a badge on the favicon (drawn on a canvas into a data:
 * URL, which the CSP's img-src allows), and, when this browser opted in
 * (./notifications.ts), a system notification for each new request that arrives while
 * the tab is hidden. It listens to the events LiveUpdates re-dispatches: no second stream.
 */
export function Attention({ count }: { count: number | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const routerRef = useRef(router);
  useEffect(() => {
    routerRef.current = router;
  }, [router]);

  // title: "(3) …" on every page, kept when the page changes its own title
  useEffect(() => {
    const apply = () => {
      const want = withCount(document.title, count ?? 0);
      if (document.title !== want) document.title = want;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [count, pathname]);

  // favicon badge
  useEffect(() => {
    let cancelled = false;
    const links = Array.from(document.querySelectorAll<HTMLLinkElement>("link[rel~='icon']"));
    for (const link of links) link.dataset.nexusHref ??= link.href;
    const restore = () => {
      for (const link of links) {
        if (link.dataset.nexusHref && link.href !== link.dataset.nexusHref)
          link.href = link.dataset.nexusHref;
      }
    };
    if (!count) {
      restore();
      return;
    }
    void drawBadgeIcon(count).then((url) => {
      if (cancelled || !url) return;
      for (const link of links) link.href = url;
    });
    return () => {
      cancelled = true;
    };
  }, [count, pathname]);

  // notifications of new requests while the tab is hidden
  useEffect(() => {
    const onEvent = (e: Event) => {
      const event = (e as CustomEvent<LiveEvent>).detail;
      if (event.type !== "request.created") return;
      if (document.visibilityState !== "hidden" || notifyState() !== "on") return;
      const { title, body } = notificationFor(event);
      try {
        const n = new window.Notification(title, {
          body,
          tag: `nexus-${event.id}`, // several open tabs show it once
          icon: "/icons/icon-192.png",
        });
        n.onclick = () => {
          window.focus();
          routerRef.current.push(pagePath(event.request_type, event.id));
          n.close();
        };
      } catch {
        // some browsers allow notifications only from a service worker: nothing to show
      }
    };
    window.addEventListener(LIVE_DOM_EVENT, onEvent);
    return () => window.removeEventListener(LIVE_DOM_EVENT, onEvent);
  }, []);

  return null;
}
