"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { LIVE_DOM_EVENT, type LiveEvent } from "@/components/live/live-updates";
import { expiryLabel, waitingLabel } from "@/lib/inbox/age";
import { fetchCreatedRow } from "./live-rows";
import { reviewHref, type InboxRow } from "./types";
import { useClock } from "./use-clock";

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
  const now = useClock(
    serverNowMs,
    rows.map((r) => r.expiresAtMs),
  );
  // Decided elsewhere: hide at once, before the refresh that confirms it arrives. The set
  // belongs to the rows it was made for, so new server rows start clean.
  const [decided, setDecided] = useState<{ forRows: InboxRow[]; keys: ReadonlySet<string> }>({
    forRows: rows,
    keys: new Set(),
  });
  const decidedKeys = decided.forRows === rows ? decided.keys : null;
  // Created elsewhere: shown as soon as it is read, until the refresh brings it anyway.
  const [added, setAdded] = useState<{ forRows: InboxRow[]; rows: InboxRow[] }>({
    forRows: rows,
    rows: [],
  });
  const addedRows = added.forRows === rows ? added.rows : [];
  const rowsRef = useRef(rows);
  const liveRef = useRef(live);
  useEffect(() => {
    rowsRef.current = rows;
    liveRef.current = live;
  }, [rows, live]);
  useEffect(() => {
    const onLive = (e: Event) => {
      const ev = (e as CustomEvent<LiveEvent>).detail;
      if (ev.type === "request.created" && liveRef.current) {
        void fetchCreatedRow(ev)
          .then((row) => {
            const current = rowsRef.current;
            if (!row || current.some((r) => r.type === row.type && r.id === row.id)) return;
            setAdded((prev) => ({
              forRows: current,
              rows: [
                ...(prev.forRows === current ? prev.rows : []).filter((r) => r.id !== row.id),
                row,
              ],
            }));
          })
          .catch(() => {}); // the refresh that follows every event shows it anyway
        return;
      }
      if (ev.type !== "request.decided") return;
      const current = rowsRef.current;
      setDecided((prev) => ({
        forRows: current,
        keys: new Set([
          ...(prev.forRows === current ? prev.keys : []),
          `${ev.request_type}:${ev.id}`,
        ]),
      }));
    };
    window.addEventListener(LIVE_DOM_EVENT, onLive);
    return () => window.removeEventListener(LIVE_DOM_EVENT, onLive);
  }, []);
  const merged =
    live === "prepend" ? [...[...addedRows].reverse(), ...rows] : [...rows, ...addedRows];
  const visible = merged.filter(
    (r) =>
      (r.expiresAtMs === null || r.expiresAtMs > now) && !decidedKeys?.has(`${r.type}:${r.id}`),
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
            key={`${row.type}:${row.id}`}
            data-request-id={row.id}
            className="relative flex flex-col gap-1 px-4 py-3 focus-within:bg-blue-50 focus-within:ring-2 focus-within:ring-inset focus-within:ring-blue-600 hover:bg-zinc-50 sm:flex-row sm:items-center sm:gap-3 dark:focus-within:bg-blue-950/40 dark:hover:bg-zinc-800/50"
          >
            <span
              className={`w-20 shrink-0 text-xs font-semibold uppercase tracking-wide ${row.type === "approval" ? "text-violet-700 dark:text-violet-300" : "text-teal-700 dark:text-teal-300"}`}
            >
              {row.type}
            </span>
            <div className="min-w-0 flex-1">
              <Link
                href={reviewHref(row)}
                data-inbox-link
                style={{ outline: "none" }} // the row's ring shows focus instead
                className={`block truncate rounded-sm text-sm font-medium after:absolute after:inset-0 hover:underline focus-visible:underline ${row.type === "approval" ? "font-mono" : ""}`}
              >
                {row.title}
              </Link>
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
