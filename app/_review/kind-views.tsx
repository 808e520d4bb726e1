import { Suspense } from "react";
import type { Choice } from "@/components/review/form-state";
import { JsonView } from "@/components/review/json-view";
import { RevisionsPanel } from "@/components/review/revisions-panel";
import {
  toolLabel,
  ToolCallBelow,
  ToolCallHeading,
  ToolCallLead,
  ToolCallWhere,
} from "@/components/review/tool-call-view";
import { ReviewedDiff } from "@/components/review/reviewed-diff";
import type { InlineComment } from "@/lib/diff/comments";
import type { HunkRecord } from "@/lib/diff/review";
import { pagePath, type RequestKind, type RequestRow } from "@/lib/domain/kinds";
import { hunksEditable } from "@/lib/domain/tool-calls";

/*
 * What the review page shows of each kind, beside what every kind shows (breadcrumb,
 * status, agent and times, who submitted, the decision form or record): the heading,
 * what goes under it, and what goes below the page's two columns.
 */
export interface KindView<K extends RequestKind> {
  /** the tab's title */
  metaTitle(row: RequestRow<K>): string;
  /** the phone's bar that brings the decision box back (components/review/decide-bar.tsx) */
  decideLabel: string;
  heading(row: RequestRow<K>): React.ReactNode;
  /** under the heading, above the agent and times */
  lead?(row: RequestRow<K>): React.ReactNode;
  /** under the agent and times */
  aside?(row: RequestRow<K>): React.ReactNode;
  /** full width, under both columns (`decide`: the reader may decide it now) */
  below?(row: RequestRow<K>, decide: boolean): React.ReactNode;
  /** the decision form sends per-hunk decisions on the request's diff */
  hunks?(row: RequestRow<K>): boolean;
  /** what a decided request's record says of its hunks (null: not decided by hunks) */
  decidedHunks?(row: RequestRow<K>): { accepted: number; total: number; edited: boolean } | null;
  /** the options the decision form offers (a multiple-choice question) */
  choice?(row: RequestRow<K>): Choice | null;
  /** what a decided request's record lists as chosen */
  chosen?(row: RequestRow<K>): string[] | null;
  /** a superseded request: the page of the revision that replaced it */
  successor?(row: RequestRow<K>): string | null;
  /** inline comments: those recorded, and whether its diff takes new ones (has a diff) */
  comments?(row: RequestRow<K>): { saved: InlineComment[] | null; diff: boolean };
}

const shorten = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 3)}…` : text;

/** The hunk counts of a decided approval or tool call. */
function decidedHunks(row: { hunkDecisions: HunkRecord[] | null; edited: boolean | null }) {
  const hunks = row.hunkDecisions;
  if (!hunks?.length) return null;
  return {
    accepted: hunks.filter((h) => h.accepted).length,
    total: hunks.length,
    edited: row.edited === true,
  };
}

export const KIND_VIEWS: { [K in RequestKind]: KindView<K> } = {
  approval: {
    metaTitle: (row) => `Review ${row.filePath}`,
    successor: (row) => (row.supersededBy ? pagePath("approval", row.supersededBy) : null),
    comments: (row) => ({ saved: row.inlineComments ?? null, diff: true }),
    decideLabel: "Approve or reject",
    heading: (row) => (
      <h1 id="request-title" className="break-all font-mono text-xl font-semibold">
        {row.filePath}
      </h1>
    ),
    lead: (row) =>
      row.description ? (
        <p className="max-w-prose whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">
          {row.description}
        </p>
      ) : (
        <p className="text-zinc-500 italic">No description.</p>
      ),
    below: (row, decide) => (
      <>
        {/* streamed: the diff below does not wait for the revision lookups */}
        <Suspense fallback={null}>
          <RevisionsPanel row={row} />
        </Suspense>
        <section aria-labelledby="changes-title">
          <h2 id="changes-title" className="sr-only">
            Changes
          </h2>
          <ReviewedDiff
            diff={row.diff}
            fallbackPath={row.filePath}
            decideId={decide ? row.id : null}
            approved={row.approved}
            hunks={row.hunkDecisions}
            appliedDiff={row.appliedDiff}
            edited={row.edited}
          />
        </section>
      </>
    ),
    hunks: () => true,
    decidedHunks,
  },
  question: {
    metaTitle: (row) => `Question: ${shorten(row.question, 60)}`,
    decideLabel: "Answer",
    heading: (row) => (
      <h1
        id="request-title"
        className="min-w-0 flex-1 whitespace-pre-wrap break-words text-xl font-semibold"
      >
        {row.question}
      </h1>
    ),
    aside: (row) =>
      row.context !== null && row.context !== undefined ? (
        <JsonView value={row.context} label="Context" />
      ) : (
        <p className="text-sm text-zinc-500 italic">The agent sent no context.</p>
      ),
    choice: (row) =>
      row.options
        ? {
            options: row.options,
            multiSelect: row.multiSelect ?? false,
            allowText: row.allowText ?? true,
          }
        : null,
    chosen: (row) => row.selected ?? null,
  },
  tool_call: {
    metaTitle: (row) => `${toolLabel(row.toolName)}: ${shorten(row.title, 60)}`,
    decideLabel: "Allow or deny",
    heading: (row) => <ToolCallHeading row={row} />,
    lead: (row) => <ToolCallLead row={row} />,
    comments: (row) => ({ saved: row.inlineComments ?? null, diff: row.diff !== null }),
    aside: (row) => <ToolCallWhere row={row} />,
    below: (row, decide) => <ToolCallBelow row={row} decide={decide && hunksEditable(row)} />,
    hunks: (row) => hunksEditable(row),
    decidedHunks,
  },
};
