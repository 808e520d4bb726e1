"use server";

import { revalidatePath } from "next/cache";
import { actorName } from "@/lib/auth/principal";
import type { FormState } from "@/lib/forms";
import { log } from "@/lib/log";
import { parseRuleJson } from "@/lib/rules/rule";
import { formAction, formFields } from "@/server/forms";
import {
  changeRule,
  deleteRule,
  dryRun,
  reorderRule,
  type RuleIssue,
} from "@/server/rules/service";

const PAGE = "/settings/rules";

export interface RuleFormState extends FormState {
  /** every problem with the rule, each naming its field (the form lists them all) */
  issues?: RuleIssue[];
  dryRun?: DryRunView;
}

export interface DryRunView {
  name: string;
  would: string;
  days: number;
  scanned: number;
  truncated: boolean;
  /** matches in all (only the first MAX_SHOWN are listed) */
  total: number;
  matches: {
    kind: string;
    id: string;
    agentId: string;
    title: string;
    createdAt: string | null;
    status: string;
    decidedBy: string | null;
  }[];
}

const invalidState = (issues: RuleIssue[]): RuleFormState => ({
  issues,
  errors: { json: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("\n") },
  message: "The rule was not saved.",
});

const saveForm = formAction<RuleFormState>("admin", async (form, principal) => {
  const { json, replacing } = formFields(form, ["json", "replacing"]);
  const parsed = parseRuleJson(json);
  if (!parsed.ok) return invalidState(parsed.issues);
  const r = await changeRule(JSON.parse(json), {
    by: actorName(principal),
    replacing: replacing || null,
  });
  if (!r.ok) return invalidState(r.issues);
  log().info({ rule: r.rule.name, outcome: r.outcome, by: actorName(principal) }, "rule saved");
  revalidatePath(PAGE);
  return { ok: true, message: `Rule "${r.rule.name}" ${r.outcome}.` };
});

/** Add a rule, or replace the one named in `replacing` (admins). */
export async function saveRuleAction(previous: RuleFormState, form: FormData) {
  return saveForm(previous, form);
}

const MAX_SHOWN = 100;

const dryRunForm = formAction<RuleFormState>("admin", async (form) => {
  const { json } = formFields(form, ["json"]);
  const parsed = parseRuleJson(json);
  if (!parsed.ok) return { ...invalidState(parsed.issues), message: "Fix the rule to try it." };
  const r = await dryRun(parsed.rule);
  return {
    dryRun: {
      name: r.rule.name,
      would: r.would,
      days: r.days,
      scanned: r.scanned,
      truncated: r.truncated,
      matches: r.matches.slice(0, MAX_SHOWN).map((m) => ({
        ...m,
        createdAt: m.createdAt ? m.createdAt.toISOString() : null,
      })),
      total: r.matches.length,
    },
  };
});

/** Which of the last 30 days' requests the rule in the form would have matched. */
export async function dryRunAction(previous: RuleFormState, form: FormData) {
  return dryRunForm(previous, form);
}

const removeForm = formAction<FormState>("admin", async (form, principal) => {
  const { name } = formFields(form, ["name"]);
  if (!(await deleteRule(name, actorName(principal))))
    return { message: "No such rule (removed meanwhile?)." };
  log().info({ rule: name, by: actorName(principal) }, "rule removed");
  revalidatePath(PAGE);
  return { ok: true, message: `Rule "${name}" removed.` };
});
export async function removeRuleAction(previous: FormState, form: FormData) {
  return removeForm(previous, form);
}

const moveForm = (by: -1 | 1) =>
  formAction<FormState>("admin", async (form, principal) => {
    const { name } = formFields(form, ["name"]);
    if (!(await reorderRule(name, by, actorName(principal))))
      return { message: "No such rule (removed meanwhile?)." };
    revalidatePath(PAGE);
    return {};
  });
const moveUp = moveForm(-1);
const moveDown = moveForm(1);
/** Evaluate a rule one place earlier. */
export async function moveRuleUpAction(previous: FormState, form: FormData) {
  return moveUp(previous, form);
}
export async function moveRuleDownAction(previous: FormState, form: FormData) {
  return moveDown(previous, form);
}
