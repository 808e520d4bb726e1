import "server-only";
import { recentRequests } from "@/db/queries/request-store";
import {
  activeReviewerCount,
  forgetCachedRules,
  moveRule,
  removeRule,
  replaceRules,
  saveRule,
  type SaveOutcome,
} from "@/db/queries/rules";
import { KINDS, REQUEST_KINDS, statusOf, type RequestKind } from "@/lib/domain/kinds";
import { compileRule, evaluateRules, requestFacts } from "@/lib/rules/match";
import {
  describeAction,
  parseRule,
  RuleList,
  ruleIssues,
  ruleJson,
  type Rule,
} from "@/lib/rules/rule";

/*
 * Managing rules, as Settings → Rules and the admin CLI both do it: validate (the one
 * schema, plus what needs the database: a quorum no larger than the active reviewers),
 * store (db/queries/rules.ts NOTIFYs every process), and the dry run.
 * Every change is recorded in the audit log in its own transaction (db/queries/rules.ts).
 */

export interface RuleIssue {
  path: string;
  message: string;
}

export type RuleChange =
  { ok: true; outcome: SaveOutcome; rule: Rule } | { ok: false; issues: RuleIssue[] };

/** What only the database can say about a rule: its quorum against the reviewers. */
async function databaseIssues(rule: Rule): Promise<RuleIssue[]> {
  if (typeof rule.action === "object" && "require_approvals" in rule.action) {
    const n = rule.action.require_approvals;
    const reviewers = await activeReviewerCount();
    if (n > reviewers) {
      return [
        {
          path: "action.require_approvals",
          message: `require_approvals is ${n}, but only ${reviewers} active ${reviewers === 1 ? "person" : "people"} can approve (admins and reviewers): the request could never be approved`,
        },
      ];
    }
  }
  return [];
}

/** Validate and store a rule: add it, or replace `replacing` (which keeps its place). */
export async function changeRule(
  value: unknown,
  o: { by: string; replacing?: string | null; position?: number | null },
): Promise<RuleChange> {
  const parsed = parseRule(value);
  if (!parsed.ok) return parsed;
  const issues = await databaseIssues(parsed.rule);
  if (issues.length) return { ok: false, issues };
  const rule = ruleJson(parsed.rule);
  const outcome = await saveRule(rule, o);
  if (outcome === "exists")
    return {
      ok: false,
      issues: [{ path: "name", message: `a rule named "${rule.name}" already exists` }],
    };
  if (outcome === "not_found")
    return {
      ok: false,
      issues: [{ path: "", message: `no rule named "${o.replacing}" (removed meanwhile?)` }],
    };
  forgetCachedRules();
  return { ok: true, outcome, rule };
}

export async function deleteRule(name: string, by: string): Promise<boolean> {
  const removed = await removeRule(name, by);
  forgetCachedRules();
  return removed;
}

export async function reorderRule(name: string, by: -1 | 1, actor: string): Promise<boolean> {
  const moved = await moveRule(name, by, actor);
  forgetCachedRules();
  return moved;
}

/** Replace every rule with a list (rule import): all valid, or nothing changes. */
export async function importRules(value: unknown, by: string): Promise<RuleChange[] | RuleIssue[]> {
  const parsed = RuleList.safeParse(value);
  if (!parsed.success) return ruleIssues(parsed.error);
  const issues = (await Promise.all(parsed.data.map(databaseIssues))).flatMap((list, i) =>
    list.map((x) => ({ ...x, path: `${i}.${x.path}` })),
  );
  if (issues.length) return issues;
  await replaceRules(parsed.data.map(ruleJson), by);
  forgetCachedRules();
  return [];
}

export const DRY_RUN_DAYS = 30;
/** requests read per kind (the newest); a dry run says when it stopped there */
export const DRY_RUN_LIMIT = 5000;

export interface DryRunMatch {
  kind: RequestKind;
  id: string;
  agentId: string;
  /** one line: the file, the tool call's title, the question */
  title: string;
  createdAt: Date | null;
  /** what happened to it (its status and who decided) */
  status: string;
  decidedBy: string | null;
}

export interface DryRun {
  rule: Rule;
  /** what the rule does to each match */
  would: string;
  days: number;
  scanned: number;
  /** a kind had more than DRY_RUN_LIMIT requests: only the newest were matched */
  truncated: boolean;
  matches: DryRunMatch[];
}

const titleOf = (row: Record<string, unknown>) =>
  String(row.title ?? row.filePath ?? row.question ?? "").slice(0, 200);

/**
 * Which of the last 30 days' requests the rule would have matched, alone (as if it were
 * the only rule), and what it would have done to them.
 */
export async function dryRun(rule: Rule, now = new Date()): Promise<DryRun> {
  const compiled = [compileRule(rule)];
  const since = new Date(now.getTime() - DRY_RUN_DAYS * 86_400_000);
  const matches: DryRunMatch[] = [];
  let scanned = 0;
  let truncated = false;
  for (const kind of REQUEST_KINDS) {
    const found = await recentRequests(kind, since, DRY_RUN_LIMIT);
    if (found.length === DRY_RUN_LIMIT) truncated = true;
    scanned += found.length;
    for (const row of found) {
      const facts = requestFacts(kind, row, {
        agentId: row.agentId,
        keyName: row.submittedKeyName,
      });
      if (!evaluateRules(compiled, facts)) continue;
      const r = row as unknown as Record<string, unknown>;
      matches.push({
        kind,
        id: row.id,
        agentId: row.agentId,
        title: titleOf(r),
        createdAt: row.createdAt,
        status: statusOf(kind, row, now),
        decidedBy: (r[KINDS[kind].columns.by] as string | null) ?? null,
      });
    }
  }
  matches.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return {
    rule,
    would: describeAction(rule.action),
    days: DRY_RUN_DAYS,
    scanned,
    truncated,
    matches,
  };
}
