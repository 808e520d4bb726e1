"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/format";
import { pagePath } from "@/lib/domain/kinds";
import type { Status } from "@/lib/ops/status";

const REFRESH_MS = 5000;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const num = (n: number) => n.toLocaleString("en-US");

function Figure({ label, children, id }: { label: string; children: React.ReactNode; id: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-1 text-sm font-medium break-all" data-figure={id}>
        {children}
      </dd>
    </div>
  );
}

/** The status figures, polled from /api/v1/status while the page is open. */
export function LiveStatus({ initial }: { initial: Status }) {
  const [s, setS] = useState(initial);
  const [stale, setStale] = useState(false);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const res = await fetch("/api/v1/status", { cache: "no-store" });
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as Status;
        if (!stop) {
          setS(next);
          setStale(false);
        }
      } catch {
        if (!stop) setStale(true);
      }
    };
    const timer = setInterval(tick, REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);
  const c = s.connections;
  return (
    <div>
      <p className="mb-3 text-xs text-zinc-500" aria-live="polite">
        {stale
          ? "Could not refresh: showing the last figures."
          : `Updated ${s.generatedAt.slice(11, 19)} UTC (${s.durationMs} ms).`}
      </p>
      <dl className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Figure id="version" label="Version">
          {s.version}
          {s.commit ? ` (${s.commit.slice(0, 12)})` : ""}
        </Figure>
        <Figure id="uptime" label="Uptime">
          {formatDuration(s.uptimeSeconds * 1000)} (since{" "}
          {s.startedAt.slice(0, 19).replace("T", " ")} UTC)
        </Figure>
        <Figure id="database" label="Database">
          {s.database.kind === "embedded" ? "embedded (PGlite)" : "PostgreSQL server"}:{" "}
          {s.database.where}
        </Figure>
        <Figure id="database-size" label="Database size">
          {bytes(s.database.sizeBytes)}
        </Figure>
        <Figure id="migrations" label="Migrations applied">
          {s.database.migrationsApplied}
          {s.database.lastMigrationAt ? ` (newest ${s.database.lastMigrationAt.slice(0, 10)})` : ""}
        </Figure>
        <Figure id="connections" label="Connections">
          pool {c.poolMax} max
          {Object.keys(c.byState).length
            ? ` (${Object.entries(c.byState)
                .map(([k, v]) => `${v} ${k}`)
                .join(", ")}, all Nexus processes)`
            : ""}
          ; listener {c.listener}; psql sessions{" "}
          {c.psqlSessions === null ? "no socket" : `${c.psqlSessions} (port ${c.psqlPort})`}
        </Figure>
        <Figure id="long-polls" label="Long polls waiting">
          {num(s.longPollsWaiting)}
        </Figure>
        <Figure id="event-streams" label="Event streams open">
          {num(s.eventStreamsOpen)}
        </Figure>
        <Figure id="pending" label="Pending">
          {s.pending.map((p) => `${num(p.count)} ${p.kind}`).join(", ")}
        </Figure>
        <Figure id="oldest-pending" label="Oldest pending request">
          {s.oldestPending ? (
            <a className="underline" href={pagePath(s.oldestPending.kind, s.oldestPending.id)}>
              {s.oldestPending.kind} from {s.oldestPending.agentId}, waiting{" "}
              {formatDuration(s.oldestPending.ageSeconds * 1000)}
            </a>
          ) : (
            "none"
          )}
        </Figure>
        <Figure id="last-backup" label="Last backup">
          {s.backups.last
            ? `${s.backups.last.kind}, ${s.backups.last.at.slice(0, 19).replace("T", " ")} UTC, ${bytes(s.backups.last.bytes)}: ${s.backups.last.path}`
            : "none"}
        </Figure>
        <Figure id="next-backup" label="Next scheduled backup">
          {s.backups.next.length
            ? s.backups.next
                .map((n) => `${n.kind} ${n.at.slice(0, 16).replace("T", " ")} UTC`)
                .join("; ")
            : "not scheduled (NEXUS_BACKUP=off)"}
        </Figure>
      </dl>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="px-4 py-2 text-left font-medium">Tables</caption>
          <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Table
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Rows
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Size
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {s.database.tables.map((t) => (
              <tr key={t.name} data-table={t.name}>
                <th scope="row" className="px-4 py-2 font-mono font-normal">
                  {t.name}
                </th>
                <td className="px-4 py-2 text-right tabular-nums">
                  {t.rows === null ? "?" : `${t.rowsExact ? "" : "≈ "}${num(t.rows)}`}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{bytes(t.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
