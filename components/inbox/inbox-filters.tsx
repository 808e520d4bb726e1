"use client";

import Form from "next/form";
import { useId } from "react";

const selectClass =
  "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * Type, agent and sort order as a GET form: the state lives in the URL (`/?type=…`),
 * so every view can be linked. A change applies at once (client navigation that keeps
 * focus on the control); "Apply" does the same without JavaScript.
 */
export function InboxFilters({
  agents,
  type,
  agent,
  sort,
}: {
  agents: string[];
  type?: string;
  agent?: string;
  sort: string;
}) {
  const id = useId();
  const submit = (e: React.ChangeEvent<HTMLSelectElement>) => e.currentTarget.form?.requestSubmit();
  return (
    <Form
      action="/"
      replace
      scroll={false}
      aria-label="Filter the inbox"
      className="mb-4 flex flex-wrap items-end gap-3 text-sm"
    >
      <div className="flex flex-col gap-1">
        <label
          htmlFor={`${id}-type`}
          className="text-xs font-medium text-zinc-600 dark:text-zinc-400"
        >
          Type
        </label>
        <select
          id={`${id}-type`}
          name="type"
          defaultValue={type ?? ""}
          onChange={submit}
          className={selectClass}
        >
          <option value="">All types</option>
          <option value="approval">Approvals</option>
          <option value="question">Questions</option>
          <option value="tool_call">Tool calls</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label
          htmlFor={`${id}-agent`}
          className="text-xs font-medium text-zinc-600 dark:text-zinc-400"
        >
          Agent
        </label>
        <select
          id={`${id}-agent`}
          name="agent"
          defaultValue={agent ?? ""}
          onChange={submit}
          className={selectClass}
        >
          <option value="">All agents</option>
          {agent && !agents.includes(agent) ? <option value={agent}>{agent}</option> : null}
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label
          htmlFor={`${id}-sort`}
          className="text-xs font-medium text-zinc-600 dark:text-zinc-400"
        >
          Sort
        </label>
        <select
          id={`${id}-sort`}
          name="sort"
          defaultValue={sort}
          onChange={submit}
          className={selectClass}
        >
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
          <option value="agent">By agent</option>
        </select>
      </div>
      <noscript>
        <button
          type="submit"
          className="rounded border border-zinc-300 px-3 py-1 dark:border-zinc-700"
        >
          Apply
        </button>
      </noscript>
    </Form>
  );
}
