import Link from "next/link";
import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { AuditFilters } from "@/components/audit/audit-filters";
import { auditActors, listAudit, type AuditListRow } from "@/db/queries/audit";
import {
  AUDIT_PAGE_SIZE,
  auditHref,
  auditRange,
  parseAuditParams,
  type AuditQuery,
} from "@/lib/audit/params";
import { KINDS, pagePath, type RequestKind } from "@/lib/domain/kinds";
import { requirePagePrincipal } from "@/server/auth/session";

export const metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const isKind = (v: string | null): v is RequestKind => v !== null && v in KINDS;

function Subject({ row }: { row: AuditListRow }) {
  if (!row.subjectId) return <span className="text-zinc-500">—</span>;
  const what = row.subjectType ? `${row.subjectType} ` : "";
  if (isKind(row.subjectType))
    return (
      <Link href={pagePath(row.subjectType, row.subjectId)} className="break-all underline">
        {KINDS[row.subjectType].words.noun} {row.subjectId}
      </Link>
    );
  return (
    <span className="break-all">
      {what}
      {row.subjectId}
    </span>
  );
}

function when(d: Date) {
  const iso = d.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`}</time>;
}

export default async function AuditPage({ searchParams }: Props) {
  await connection();
  const principal = await requirePagePrincipal("admin");
  const { query, problems } = parseAuditParams(await searchParams);
  const { before, ...filter } = query;
  const { rows, more } = await listAudit({
    event: filter.event,
    actor: filter.actor,
    subjectId: filter.subject,
    ...auditRange(filter),
    before,
    limit: AUDIT_PAGE_SIZE,
  });
  const actors = await auditActors();
  const filtered = Object.values(filter).some(Boolean);
  const older: AuditQuery | null = more ? { ...filter, before: rows.at(-1)!.id } : null;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-1 text-lg font-semibold">Audit log</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        Every security-relevant event, newest first. Entries are chained by SHA-256 hashes:{" "}
        <code className="font-mono">npm run nexus -- audit verify</code> proves none was changed or
        removed, <code className="font-mono">audit export</code> writes them as JSON Lines.
      </p>
      <AuditFilters query={filter} actors={actors} />
      {problems.length ? (
        <div
          role="alert"
          className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          <ul className="list-inside list-disc">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {before ? (
            <>
              No older entries.{" "}
              <Link href={auditHref(filter)} className="underline">
                Back to the newest
              </Link>
              .
            </>
          ) : filtered ? (
            "No audit entry matches these filters."
          ) : (
            "No audit entries yet."
          )}
        </p>
      ) : (
        <ol
          aria-label="Audit entries"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white text-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        >
          {rows.map((r) => (
            <li key={r.id} className="flex flex-col gap-1 p-3" data-testid="audit-entry">
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="font-mono font-medium">{r.event}</span>
                <span className="text-zinc-600 dark:text-zinc-400">{when(r.at)}</span>
                <span className="text-xs text-zinc-500">
                  {r.seq === null
                    ? `entry ${r.id}, not sealed yet`
                    : `entry ${r.id} · chain #${r.seq}`}
                </span>
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
                <dt className="text-zinc-500">By</dt>
                <dd className="break-all">{r.actor ?? <span className="text-zinc-500">—</span>}</dd>
                <dt className="text-zinc-500">About</dt>
                <dd>
                  <Subject row={r} />
                </dd>
                {r.details && Object.keys(r.details).length ? (
                  <>
                    <dt className="text-zinc-500">Details</dt>
                    <dd className="font-mono text-xs break-all">{JSON.stringify(r.details)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ol>
      )}
      <nav aria-label="Audit pages" className="mt-4 flex flex-wrap gap-4 text-sm">
        {before ? (
          <Link href={auditHref(filter)} className="inline-flex min-h-11 items-center underline">
            Newest entries
          </Link>
        ) : null}
        {older ? (
          <Link href={auditHref(older)} className="inline-flex min-h-11 items-center underline">
            Older entries
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
