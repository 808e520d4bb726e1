"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { IntentLink } from "@/components/intent-link";
import { LIVE_DOM_EVENT, type LiveEvent } from "@/components/live/live-updates";
import { KINDS, type RequestKind } from "@/lib/domain/kinds";
import { expiryLabel, waitingLabel } from "@/lib/inbox/age";
import { rowFromEvent, rowKey, stillAwaited, type AddedRow } from "./live-rows";
import { approvalsLabel, reviewHref, type InboxRow } from "./types";
import { useClock } from "./use-clock";

const TYPE_COLOR: Record<RequestKind, string> = {
  approval: "text-violet-700 dark:text-violet-300",
  question: "text-teal-700 dark:text-teal-300",
  tool_call: "text-amber-800 dark:text-amber-300",
};

/**
 * The pending requests, with ages that advance every 30 s and rows that leave when
 * their deadline passes. Each row's link carries `data-inbox-link`: the site-wide `j`/`k`
 * keys (components/keyboard/shortcuts.tsx) move DOM focus between them, so the
 * selection is visible and `Enter` opens it natively.
 */
export function InboxList({
  rows,
  serverNowMs,
  filtered = false,
  live = null,
}: {
  rows: InboxRow[];
  serverNowMs: number;
  /** a type/agent filter is on: the empty state says so */
  filtered?: boolean;
  /** where a request announced live goes before the refresh lands (null: wait for it) */
  live?: "append" | "prepend" | null;
}) {
  const router = useRouter();
  // Decided elsewhere: hidden at once, before the refresh that confirms it. A decision is
  // final, so the set only grows: a refresh rendered just before the decision cannot
  // bring the row back.
  const [decidedKeys, setDecidedKeys] = useState<ReadonlySet<string>>(() => new Set());
  // Created elsewhere: shown as soon as it is known, until a server render accounts for
  // it (live-rows.ts stillAwaited).
  const [added, setAdded] = useState<AddedRow[]>([]);
  const serverKeys = new Set(rows.map(rowKey));
  const addedRows = live
    ? added.filter((a) => stillAwaited(a, serverKeys, serverNowMs)).map((a) => a.row)
    : [];
  const now = useClock(
    serverNowMs,
    [...rows, ...addedRows].map((r) => r.expiresAtMs),
  );
  const rowsRef = useRef({ rows, serverNowMs });
  const liveRef = useRef(live);
  useEffect(() => {
    rowsRef.current = { rows, serverNowMs };
    liveRef.current = live;
  }, [rows, serverNowMs, live]);
  useEffect(() => {
    // Shows a row not yet in the server's; false when a render has already accounted
    // for it (then the usual refresh, not this list, shows what is true).
    const show = (entry: AddedRow): boolean => {
      const { rows: current, serverNowMs: renderedAt } = rowsRef.current;
      const keys = new Set(current.map(rowKey));
      if (!stillAwaited(entry, keys, renderedAt)) return false;
      setAdded((prev) => [
        ...prev.filter((a) => a.row.id !== entry.row.id && stillAwaited(a, keys, renderedAt)),
        entry,
      ]);
      return true;
    };
    const onLive = (e: Event) => {
      const ev = (e as CustomEvent<LiveEvent>).detail;
      if (ev.type === "request.created") {
        // shown now from the event itself; LiveUpdates confirms with a later refresh
        const entry = liveRef.current ? rowFromEvent(ev) : null;
        if (entry && show(entry)) e.preventDefault();
        return;
      }
      if (ev.type !== "request.decided") return;
      const key = rowKey({ type: ev.request_type, id: ev.id });
      const { rows: current } = rowsRef.current;
      if (current.some((r) => rowKey(r) === key)) e.preventDefault();
      setDecidedKeys((prev) => new Set([...prev, key]));
    };
    window.addEventListener(LIVE_DOM_EVENT, onLive);
    return () => window.removeEventListener(LIVE_DOM_EVENT, onLive);
  }, []);
  const merged =
    live === "prepend" ? [...[...addedRows].reverse(), ...rows] : [...rows, ...addedRows];
  const visible = merged.filter(
    (r) => (r.expiresAtMs === null || r.expiresAtMs > now) && !decidedKeys.has(rowKey(r)),
  );
  const expiredLocally = rows.some((r) => r.expiresAtMs !== null && r.expiresAtMs <= now);

  // An item whose deadline passed has left the list: let the server confirm (counts, title).
  useEffect(() => {
    if (expiredLocally) router.refresh();
  }, [expiredLocally, router]);

  if (visible.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        {filtered
          ? "Nothing pending matches these filters."
          : "Nothing is waiting for you. New requests from agents appear here as they arrive."}
      </p>
    );
  }

  return (
    <ul
      aria-label="Pending requests"
      className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {visible.map((row) => {
        const expiry = expiryLabel(row.expiresAtMs, now);
        return (
          <li
            key={rowKey(row)}
            data-request-id={row.id}
            className="relative flex flex-col gap-1 px-4 py-3 focus-within:bg-blue-50 focus-within:ring-2 focus-within:ring-inset focus-within:ring-blue-600 hover:bg-zinc-50 sm:flex-row sm:items-center sm:gap-3 dark:focus-within:bg-blue-950/40 dark:hover:bg-zinc-800/50"
          >
            <span
              className={`w-20 shrink-0 text-xs font-semibold uppercase tracking-wide ${TYPE_COLOR[row.type]}`}
            >
              {KINDS[row.type].words.noun}
              {row.escalated ? (
                <span
                  className="mt-1 block w-fit rounded bg-red-100 px-1.5 py-0.5 text-[0.7rem] text-red-800 normal-case dark:bg-red-950 dark:text-red-200"
                  title="Pending past the escalation threshold"
                >
                  Escalated
                </span>
              ) : null}
              {row.routedToYou ? (
                <span
                  className="mt-1 block w-fit rounded bg-blue-100 px-1.5 py-0.5 text-[0.7rem] text-blue-900 normal-case dark:bg-blue-950 dark:text-blue-200"
                  title="A rule routed this request to you: it is listed first"
                >
                  Routed to you
                </span>
              ) : null}
              {row.approvals ? (
                <span className="mt-1 block w-fit rounded bg-violet-100 px-1.5 py-0.5 text-[0.7rem] text-violet-900 normal-case dark:bg-violet-950 dark:text-violet-200">
                  {approvalsLabel(row.approvals)}
                </span>
              ) : null}
            </span>
            <div className="min-w-0 flex-1">
              <IntentLink
                href={reviewHref(row)}
                data-inbox-link
                style={{ outline: "none" }} // the row's ring shows focus instead
                className={`block truncate rounded-sm text-sm font-medium after:absolute after:inset-0 hover:underline focus-visible:underline ${row.type === "question" ? "" : "font-mono"}`}
              >
                {row.title}
              </IntentLink>
              {row.description ? (
                <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
                  {row.description}
                </p>
              ) : null}
            </div>
            <span className="shrink-0 text-sm text-zinc-600 dark:text-zinc-400">{row.agentId}</span>
            <span className="shrink-0 text-right text-sm text-zinc-600 tabular-nums sm:w-44 dark:text-zinc-400">
              <time dateTime={new Date(row.timestampMs).toISOString()}>
                {waitingLabel(row.timestampMs, now)}
              </time>
              {expiry ? (
                <span className="block text-xs text-amber-700 dark:text-amber-400">{expiry}</span>
              ) : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
