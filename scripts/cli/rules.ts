import fs from "node:fs";
import { getRule, listRules } from "@/db/queries/rules";
import { describeAction, parseRuleJson, ruleJson, type Rule } from "@/lib/rules/rule";
import {
  changeRule,
  deleteRule,
  dryRun,
  importRules,
  type RuleIssue,
} from "@/server/rules/service";
import { optionalFlag, requireFlag, UsageError, type CommandGroup, type ParsedArgs } from "./args";

/*
 * `npm run nexus -- rule add|update|list|remove|test|export|import`: the rules of
 * docs/rules.md in their one JSON form. Changes take effect in every running process
 * within a second (a NOTIFY; see server/rules/cache.ts).
 */

const problems = (issues: RuleIssue[]) =>
  issues.map((i) => `  ${i.path || "(rule)"}: ${i.message}`).join("\n");

function jsonFlag(args: ParsedArgs): unknown {
  const text = requireFlag(args, "json");
  const parsed = parseRuleJson(text);
  if (!parsed.ok) throw new UsageError(`--json is not a valid rule:\n${problems(parsed.issues)}`);
  return JSON.parse(text);
}

async function add(args: ParsedArgs, replacing: string | null) {
  const position = optionalFlag(args, "position");
  const at = position === undefined ? null : Number(position);
  if (at !== null && (!Number.isInteger(at) || at < 1))
    throw new UsageError("--position must be 1 or more (1 = first)");
  const r = await changeRule(jsonFlag(args), {
    by: "cli",
    replacing,
    position: at === null ? null : at - 1,
  });
  if (!r.ok) throw new UsageError(`the rule was not saved:\n${problems(r.issues)}`);
  console.log(`${r.outcome} rule "${r.rule.name}": ${describeAction(r.rule.action)}`);
}

function matchWords(rule: Rule): string {
  const m = Object.entries(rule.match).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return m.length ? m.join(" ") : "(every request)";
}

async function list() {
  const rules = await listRules();
  if (rules.length === 0) {
    console.log('no rules yet (`rule add --json \'{"name": …, "match": {…}, "action": …}\'`)');
    return;
  }
  for (const [i, { rule }] of rules.entries()) {
    const extra = [
      rule.expire_after_s
        ? `expire after ${rule.expire_after_s}s${rule.on_expiry ? ` then ${rule.on_expiry}` : ""}`
        : "",
      rule.escalate_after_s ? `escalate after ${rule.escalate_after_s}s` : "",
    ].filter(Boolean);
    console.log(
      `${String(i + 1).padStart(2)}. ${rule.name}: ${describeAction(rule.action)} when ${matchWords(rule)}${extra.length ? `; ${extra.join("; ")}` : ""}`,
    );
  }
}

async function remove(args: ParsedArgs) {
  const name = args.positionals[0] ?? optionalFlag(args, "name");
  if (!name) throw new UsageError("missing the rule's name: rule remove <name>");
  if (!(await deleteRule(name, "cli"))) throw new UsageError(`no rule named "${name}"`);
  console.log(`removed rule "${name}"`);
}

async function test(args: ParsedArgs) {
  let rule: Rule;
  if (args.flags.json !== undefined) {
    const parsed = parseRuleJson(requireFlag(args, "json"));
    if (!parsed.ok) throw new UsageError(`--json is not a valid rule:\n${problems(parsed.issues)}`);
    rule = parsed.rule;
  } else {
    const name = args.positionals[0];
    if (!name) throw new UsageError("rule test <name> | rule test --json '<rule>'");
    const stored = await getRule(name);
    if (!stored) throw new UsageError(`no rule named "${name}"`);
    rule = stored.rule;
  }
  const r = await dryRun(rule);
  console.log(
    `rule "${rule.name}" would have matched ${r.matches.length} of the ${r.scanned} requests of the last ${r.days} days${r.truncated ? " (only the newest were read)" : ""}; it would ${r.would}:`,
  );
  for (const m of r.matches.slice(0, 200)) {
    const at = m.createdAt ? m.createdAt.toISOString().slice(0, 16).replace("T", " ") : "?";
    console.log(
      `  ${at}  ${m.kind.padEnd(9)} ${m.id}  ${m.agentId}  ${m.status}${m.decidedBy ? ` by ${m.decidedBy}` : ""}  ${m.title}`,
    );
  }
  if (r.matches.length > 200) console.log(`  … and ${r.matches.length - 200} more`);
}

async function exportRules() {
  const rules = (await listRules()).map((r) => ruleJson(r.rule));
  console.log(JSON.stringify(rules, null, 2));
}

async function importFile(args: ParsedArgs) {
  const file = args.positionals[0];
  if (!file) throw new UsageError("rule import <file> (a JSON array, as rule export prints)");
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const issues = await importRules(value, "cli");
  if (issues.length)
    throw new UsageError(
      `nothing was imported; ${file} has problems:\n${problems(issues as RuleIssue[])}`,
    );
  console.log(
    `imported ${(value as unknown[]).length} rules from ${file} (they replace the rules there were)`,
  );
}

export const rulesGroup: CommandGroup = {
  name: "rule",
  summary: "rules that decide, route or time requests (docs/rules.md)",
  usage: [
    "rule add --json '<rule>' [--position N]   (N: 1 = evaluated first; default last)",
    "rule update <name> --json '<rule>'        (replace it, keeping its place)",
    "rule list",
    "rule remove <name>",
    "rule test <name> | rule test --json '<rule>'   (dry run on the last 30 days)",
    "rule export                               (JSON array on stdout)",
    "rule import <file>                        (replace every rule with the file's)",
  ],
  async run(command, args) {
    switch (command) {
      case "add":
        return add(args, null);
      case "update": {
        const name = args.positionals[0];
        if (!name) throw new UsageError("rule update <name> --json '<rule>'");
        return add(args, name);
      }
      case "list":
        return list();
      case "remove":
        return remove(args);
      case "test":
        return test(args);
      case "export":
        return exportRules();
      case "import":
        return importFile(args);
      default:
        throw new UsageError(
          `${command ? `unknown command "rule ${command}"` : "missing command"}; try: ${rulesGroup.usage.join(" | ")}`,
        );
    }
  },
};
