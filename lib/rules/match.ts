import picomatch from "picomatch";
import { parseDiff } from "@/lib/diff/parse";
import { KINDS, type RequestKind } from "@/lib/domain/kinds";
import { isDecision, type Rule } from "./rule";

/*
 * Matching a request against the rules: pure, in memory. The server compiles the stored
 * rules once per change (`compileRules`) and evaluates every submission with
 * `evaluateRules`: no database round trip. The diff is parsed only when a rule asks about
 * paths or sizes, and then once.
 *
 * Order: rules are evaluated in their stored order. The first matching `auto_deny` wins
 * over everything (a deny anywhere beats any approve); otherwise the first matching rule
 * is the one that applies, whatever its action.
 */

/** What a rule can ask about a request (built from what the agent sent). */
export interface RequestFacts {
  kind: RequestKind;
  agentId: string;
  /** the name of the submitting API key (null: not through a key) */
  keyName: string | null;
  toolName: string | null;
  /** a shell tool call's command (its input's `command`) */
  command: string | null;
  question: string | null;
  /** the unified diff (an approval's; a tool call's edit) and the file it is about */
  diff: string | null;
  filePath: string | null;
  /** a tool call's working folder: its absolute file path is made relative to it */
  cwd: string | null;
}

/** Any kind's store fields → facts. Reads the fields generically: no per-kind code. */
export function requestFacts(
  kind: RequestKind,
  fields: object,
  o: { agentId: string; keyName: string | null },
): RequestFacts {
  const f = fields as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const input = f.toolInput as Record<string, unknown> | undefined;
  return {
    kind,
    agentId: o.agentId,
    keyName: o.keyName,
    toolName: str(f.toolName),
    command: input ? str(input.command) : null,
    question: str(f.question),
    diff: str(f.diff),
    filePath: str(f.filePath),
    cwd: str(f.cwd),
  };
}

interface DiffStats {
  /** every path the diff touches (old and new names), relative */
  paths: string[];
  lines: number;
  files: number;
}

function relative(path: string, cwd: string | null): string {
  if (cwd) {
    const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
    if (path.startsWith(base)) return path.slice(base.length);
  }
  return path.replace(/^\.\//, "");
}

export function diffStats(facts: RequestFacts): DiffStats {
  const paths = new Set<string>();
  let lines = 0;
  let files = 0;
  if (facts.diff) {
    const parsed = parseDiff(facts.diff, { fallbackPath: facts.filePath ?? undefined });
    if (parsed.ok) {
      for (const file of parsed.files) {
        for (const p of [file.oldPath, file.newPath]) if (p) paths.add(relative(p, facts.cwd));
        lines += file.additions + file.deletions;
      }
      files = parsed.files.length;
    }
  }
  if (facts.filePath && (facts.kind === "approval" || paths.size === 0)) {
    paths.add(relative(facts.filePath, facts.cwd));
    files = Math.max(files, 1);
  }
  return { paths: [...paths], lines, files };
}

export interface CompiledRule {
  rule: Rule;
  /** does the request match (all given match fields hold) */
  test(facts: RequestFacts, stats: () => DiffStats): boolean;
}

export function compileRule(rule: Rule): CompiledRule {
  const m = rule.match;
  const checks: ((f: RequestFacts, stats: () => DiffStats) => boolean)[] = [];
  if (m.kind) checks.push((f) => f.kind === m.kind);
  // a rule that decides matches only kinds that are approved (a question is answered)
  if (isDecision(rule.action)) checks.push((f) => KINDS[f.kind].quorum);
  if (m.agent_id !== undefined) checks.push((f) => f.agentId === m.agent_id);
  if (m.key !== undefined) checks.push((f) => f.keyName === m.key);
  if (m.tool !== undefined) checks.push((f) => f.toolName === m.tool);
  if (m.command !== undefined) {
    const re = new RegExp(m.command, "u");
    checks.push((f) => f.command !== null && re.test(f.command));
  }
  if (m.question !== undefined) {
    const re = new RegExp(m.question, "u");
    checks.push((f) => f.question !== null && re.test(f.question));
  }
  if (m.paths) {
    const isMatch = picomatch(m.paths, { dot: true });
    checks.push((_, stats) => {
      const { paths } = stats();
      return paths.length > 0 && paths.every((p) => isMatch(p));
    });
  }
  if (m.max_lines !== undefined) {
    const max = m.max_lines;
    checks.push((_, stats) => stats().lines <= max);
  }
  if (m.max_files !== undefined) {
    const max = m.max_files;
    checks.push((_, stats) => stats().files <= max);
  }
  return { rule, test: (facts, stats) => checks.every((c) => c(facts, stats)) };
}

export const compileRules = (rules: Rule[]): CompiledRule[] => rules.map(compileRule);

/** What the rules do to a request: the rule that applies, or null when none matches. */
export interface RuleOutcome {
  rule: Rule;
  /** approve or deny at creation (null: the request stays pending, shaped by the rule) */
  decision: { approved: boolean; message: string | null } | null;
}

export function evaluateRules(rules: CompiledRule[], facts: RequestFacts): RuleOutcome | null {
  let cached: DiffStats | null = null;
  const stats = () => (cached ??= diffStats(facts));
  let first: Rule | null = null;
  for (const c of rules) {
    const action = c.rule.action;
    const isDeny = typeof action === "object" && "auto_deny" in action;
    // once a rule applies, only a later deny can still change the outcome
    if (first && !isDeny) continue;
    if (!c.test(facts, stats)) continue;
    if (isDeny) return { rule: c.rule, decision: { approved: false, message: action.auto_deny } };
    first = c.rule;
  }
  if (!first) return null;
  return {
    rule: first,
    decision: first.action === "auto_approve" ? { approved: true, message: null } : null,
  };
}
