import Form from "next/form";
import Link from "next/link";
import type { HistoryFilter } from "@/lib/history/params";

const field =
  "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const label = "text-xs font-medium text-zinc-600 dark:text-zinc-400";

/** GET form: every filter is a URL parameter; submitting drops the page cursor. */
export function HistoryFilters({ filter, agents }: { filter: HistoryFilter; agents: string[] }) {
  return (
    <Form
      action="/history"
      aria-label="Filter history"
      className="mb-4 grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm sm:grid-cols-3 lg:grid-cols-8 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="col-span-2 flex flex-col gap-1 sm:col-span-3 lg:col-span-2">
        <label htmlFor="history-q" className={label}>
          Search
        </label>
        <input
          type="search"
          id="history-q"
          name="q"
          defaultValue={filter.q ?? ""}
          maxLength={200}
          placeholder="File path, description or question"
          className={field}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-type" className={label}>
          Type
        </label>
        <select id="history-type" name="type" defaultValue={filter.type ?? ""} className={field}>
          <option value="">All types</option>
          <option value="approval">Approvals</option>
          <option value="question">Questions</option>
          <option value="tool_call">Tool calls</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-outcome" className={label}>
          Outcome
        </label>
        <select
          id="history-outcome"
          name="outcome"
          defaultValue={filter.outcome ?? ""}
          className={field}
        >
          <option value="">Any outcome</option>
          <option value="approved">Approved</option>
          <option value="rejected">Rejected</option>
          <option value="answered">Answered</option>
          <option value="expired">Expired</option>
          <option value="superseded">Superseded (revised)</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-agent" className={label}>
          Agent
        </label>
        <select id="history-agent" name="agent" defaultValue={filter.agent ?? ""} className={field}>
          <option value="">All agents</option>
          {filter.agent && !agents.includes(filter.agent) ? (
            <option value={filter.agent}>{filter.agent}</option>
          ) : null}
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-rule" className={label}>
          Rule
        </label>
        <input
          id="history-rule"
          name="rule"
          defaultValue={filter.rule ?? ""}
          placeholder="any"
          className={field}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-from" className={label}>
          From (UTC)
        </label>
        <input
          type="date"
          id="history-from"
          name="from"
          defaultValue={filter.from ?? ""}
          className={field}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="history-to" className={label}>
          To (UTC)
        </label>
        <input
          type="date"
          id="history-to"
          name="to"
          defaultValue={filter.to ?? ""}
          className={field}
        />
      </div>
      <div className="col-span-2 flex items-center gap-3 sm:col-span-3 lg:col-span-8">
        <button
          type="submit"
          className="rounded bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
        >
          Filter
        </button>
        <Link href="/history" className="text-sm text-zinc-600 underline dark:text-zinc-400">
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
