import { ReviewedDiff } from "@/components/review/reviewed-diff";
import { JsonView } from "@/components/review/json-view";
import type { RequestRow } from "@/lib/domain/kinds";
import { commandOf, diffNote, mcpToolOf } from "@/lib/domain/tool-calls";

/*
 * What the review page shows of a tool call: Bash's command up front (monospaced, with
 * the agent's description), an edit as a diff with a note on what its line numbers mean,
 * any other tool's input as readable JSON, and where it runs (session, folder).
 */

type Row = RequestRow<"tool_call">;

/** "Bash", "Write", "MCP tool run_query (server db)". */
export function toolLabel(toolName: string): string {
  const mcp = mcpToolOf(toolName);
  return mcp ? `MCP tool ${mcp.tool} (server ${mcp.server})` : toolName;
}

export function ToolCallHeading({ row }: { row: Row }) {
  return (
    <div className="min-w-0 flex-1">
      <p className="text-sm font-medium text-amber-800 dark:text-amber-300">
        Tool call: <span className="font-mono">{toolLabel(row.toolName)}</span>
      </p>
      <h1 id="request-title" className="break-all font-mono text-xl font-semibold">
        {row.title}
      </h1>
    </div>
  );
}

export function ToolCallLead({ row }: { row: Row }) {
  const command = commandOf(row);
  return (
    <>
      {row.description ? (
        <p className="max-w-prose whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">
          {row.description}
        </p>
      ) : null}
      {command !== null ? (
        <figure>
          <figcaption className="mb-1 text-sm font-medium">Command</figcaption>
          <pre
            tabIndex={0}
            aria-label="Command"
            className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md border border-zinc-300 bg-zinc-950 p-3 font-mono text-sm text-zinc-50 dark:border-zinc-700"
          >
            <code>{command}</code>
          </pre>
        </figure>
      ) : null}
    </>
  );
}

export function ToolCallWhere({ row }: { row: Row }) {
  const item = "flex gap-2";
  const dt = "w-24 shrink-0 text-zinc-500 dark:text-zinc-400";
  return (
    <dl className="space-y-1 text-sm" aria-label="Where it runs">
      <div className={item}>
        <dt className={dt}>Folder</dt>
        <dd className="break-all font-mono">
          {row.cwd ?? <span className="text-zinc-500">not sent</span>}
        </dd>
      </div>
      <div className={item}>
        <dt className={dt}>Session</dt>
        <dd className="break-all font-mono">
          {row.sessionId ?? <span className="text-zinc-500">not sent</span>}
        </dd>
      </div>
      {row.hookEvent ? (
        <div className={item}>
          <dt className={dt}>Asked by</dt>
          <dd className="font-mono">{row.hookEvent}</dd>
        </div>
      ) : null}
      <div className={item}>
        <dt className={dt}>If unanswered</dt>
        <dd>
          {row.onTimeout === "ask"
            ? "the agent asks its user in the terminal"
            : "the tool call is denied"}
        </dd>
      </div>
    </dl>
  );
}

export function ToolCallBelow({ row, decide = false }: { row: Row; decide?: boolean }) {
  const note = row.diff ? diffNote(row) : null;
  return (
    <div className="space-y-6">
      {row.diff ? (
        <section aria-labelledby="changes-title">
          <h2 id="changes-title" className="mb-2 text-base font-semibold">
            Changes{row.filePath ? <span className="sr-only"> to {row.filePath}</span> : null}
          </h2>
          {note ? (
            <p
              role="note"
              className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-200"
            >
              {note}
            </p>
          ) : (
            <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
              Exact diff, computed beside the files by the agent&apos;s hook.
            </p>
          )}
          <ReviewedDiff
            diff={row.diff}
            fallbackPath={row.filePath ?? undefined}
            decideId={decide ? row.id : null}
            approved={row.approved}
            hunks={row.hunkDecisions}
            appliedDiff={row.appliedDiff}
            edited={row.edited}
          />
        </section>
      ) : null}
      <section aria-labelledby="input-title">
        <h2 id="input-title" className="sr-only">
          Tool input
        </h2>
        <JsonView value={row.toolInput} label="Tool input" />
      </section>
      {row.updatedInput !== null && row.updatedInput !== undefined ? (
        <section aria-labelledby="updated-input-title">
          <h2 id="updated-input-title" className="sr-only">
            Input as approved
          </h2>
          <JsonView value={row.updatedInput} label="Input as approved" />
        </section>
      ) : null}
    </div>
  );
}
