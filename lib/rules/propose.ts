import { KINDS, type RequestKind } from "@/lib/domain/kinds";
import { diffStats, requestFacts } from "./match";
import { RULE_NAME_PATTERN, type Rule } from "./rule";

/*
 * "Always allow this" (the review page): a rule scoped as narrowly as the request
 * suggests: this agent, this kind, this tool, and this command's first words (a shell
 * call) or the folders of the files it touches (an edit, a change). The reviewer edits it
 * before it is saved. Pure.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const escapeGlob = (s: string) => s.replace(/[*?[\]{}()!+@\\]/g, "\\$&");

/** The command's first two words (`npm test`, `git status`), as a pattern anchored at the start. */
export function commandPrefix(command: string): string {
  const words = command.trim().split(/\s+/).slice(0, 2);
  return `^${words.map(escapeRegExp).join("\\s+")}(\\s|$)`;
}

/** A path's folder as a glob (`docs/guide/**`), or the file itself at the top level. */
export function folderGlob(path: string): string {
  const i = path.lastIndexOf("/");
  return i > 0 ? `${escapeGlob(path.slice(0, i))}/**` : escapeGlob(path);
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30);
}

/** A rule that approves requests like this one (null: the kind is not approved, e.g. questions). */
export function proposeRule(
  kind: RequestKind,
  row: object & { agentId: string },
  suffix: string,
): Rule | null {
  if (!KINDS[kind].quorum) return null;
  const facts = requestFacts(kind, row, { agentId: row.agentId, keyName: null });
  const match: Rule["match"] = { kind, agent_id: row.agentId };
  let what: string;
  if (facts.toolName) {
    match.tool = facts.toolName;
    what = facts.toolName;
  } else what = kind;
  if (facts.command !== null && facts.command.trim() !== "") {
    match.command = commandPrefix(facts.command);
    what += `-${facts.command.trim().split(/\s+/)[0]}`;
  } else {
    const { paths } = diffStats(facts);
    if (paths.length) {
      match.paths = [...new Set(paths.map(folderGlob))].slice(0, 10);
    }
  }
  let name = `allow-${slug(what)}-${slug(row.agentId)}-${suffix}`.replace(/-+/g, "-");
  if (!RULE_NAME_PATTERN.test(name)) name = `allow-${suffix}`;
  return { name: name.slice(0, 80), match, action: "auto_approve" };
}
