import Form from "next/form";
import Link from "next/link";
import { AUDIT_EVENTS } from "@/lib/audit/events";
import type { AuditQuery } from "@/lib/audit/params";

const field =
  "min-h-11 rounded border border-zinc-300 bg-white px-2 py-1 text-sm sm:min-h-0 dark:border-zinc-700 dark:bg-zinc-900";
const label = "text-xs font-medium text-zinc-600 dark:text-zinc-400";

/** A filter: its label above its control (`id` is the control's). */
function Field({
  id,
  label: text,
  children,
}: {
  id: string;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={label}>
        {text}
      </label>
      {children}
    </div>
  );
}

/** GET form: every filter is a URL parameter; submitting starts again at the newest entry. */
export function AuditFilters({ query, actors }: { query: AuditQuery; actors: string[] }) {
  return (
    <Form
      action="/settings/audit"
      aria-label="Filter the audit log"
      className="mb-4 grid grid-cols-1 gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm sm:grid-cols-2 lg:grid-cols-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <Field id="audit-event" label="Event">
        <select id="audit-event" name="event" defaultValue={query.event ?? ""} className={field}>
          <option value="">Every event</option>
          {AUDIT_EVENTS.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </Field>
      <Field id="audit-actor" label="Actor">
        <input
          id="audit-actor"
          name="actor"
          list="audit-actors"
          defaultValue={query.actor ?? ""}
          maxLength={254}
          placeholder="ana@example.com, key:ci, cli"
          className={field}
        />
        <datalist id="audit-actors">
          {actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </Field>
      <Field id="audit-subject" label="Request id or subject">
        <input
          id="audit-subject"
          name="subject"
          defaultValue={query.subject ?? ""}
          maxLength={254}
          placeholder="a request id, key name, email"
          className={field}
        />
      </Field>
      <Field id="audit-from" label="From (UTC)">
        <input
          type="date"
          id="audit-from"
          name="from"
          defaultValue={query.from ?? ""}
          className={field}
        />
      </Field>
      <Field id="audit-to" label="To (UTC)">
        <input
          type="date"
          id="audit-to"
          name="to"
          defaultValue={query.to ?? ""}
          className={field}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
        <button
          type="submit"
          className="min-h-11 rounded bg-zinc-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 sm:min-h-0 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
        >
          Filter
        </button>
        <Link
          href="/settings/audit"
          className="inline-flex min-h-11 items-center text-sm text-zinc-600 underline sm:min-h-0 dark:text-zinc-400"
        >
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
