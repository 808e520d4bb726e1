import "server-only";
import { nextPendingHref } from "@/db/queries/next-pending";
import type { DecisionFormState } from "@/components/review/form-state";
import { actorName, can, type Principal } from "@/lib/auth/principal";
import { decisionOf, KINDS, pagePath, statusOf, type RequestKind } from "@/lib/domain/kinds";
import { parseRuleJson } from "@/lib/rules/rule";
import { changeRule } from "@/server/rules/service";
import { formFields, formStateOfError } from "@/server/forms";
import { decide, DecisionConflict } from "./service";

/*
 * The dashboard's door to decisions: a form's fields → the API's decision body → the
 * service's decide(), the very function behind POST /api/v1/<kind>/{id}/<decision>.
 * Testable without Next's request context (the action in server/requests/actions.ts
 * adds the session and the redirect).
 */

/** The hidden field of inline comments: JSON, as the API takes them (absent or "": none). */
function commentsField(raw: string | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // the schema says what is wrong with it
  }
}

/** The hidden `hunks` field: the per-hunk decisions and edits as JSON (`{hunks, edits}`). */
function hunksField(value: string | undefined): { hunks?: unknown; edits?: unknown } | null {
  if (!value) return {};
  try {
    const v = JSON.parse(value) as unknown;
    if (!v || typeof v !== "object" || Array.isArray(v)) return null;
    const { hunks, edits } = v as { hunks?: unknown; edits?: unknown };
    return { ...(hunks !== undefined ? { hunks } : {}), ...(edits !== undefined ? { edits } : {}) };
  } catch {
    return null;
  }
}

const APPROVE_OR_REJECT = {
  fields: ["decision", "comment", "comments", "hunks"],
  body: (f: Record<string, string>) => ({
    approved: f.decision === "approve",
    comment: f.comment,
    comments: commentsField(f.comments),
    ...hunksField(f.hunks),
  }),
  // the two buttons send decision=approve|reject; anything else is not a decision
  refuse: (f: Record<string, string>) =>
    f.decision !== "approve" && f.decision !== "reject"
      ? "Choose Approve or Reject."
      : hunksField(f.hunks) === null
        ? "The hunk decisions could not be read: reload the page and try again."
        : null,
};

/** How each kind's form encodes the API's decision body. */
const FORM: {
  [K in RequestKind]: {
    fields: readonly string[];
    /** fields that may repeat (checkboxes), read as lists */
    lists?: readonly string[];
    body(f: Record<string, string>, lists: Record<string, string[]>): unknown;
    /** a message when the form itself was tampered with (not a field error) */
    refuse?(f: Record<string, string>): string | null;
  };
} = {
  approval: APPROVE_OR_REJECT,
  question: {
    fields: ["response", "selected"],
    lists: ["selected"],
    // an empty text box beside a chosen option is no typed answer
    body: (f, l) => {
      const selected = l.selected ?? [];
      if (!selected.length) return { response: f.response };
      return f.response?.trim() ? { response: f.response, selected } : { selected };
    },
  },
  tool_call: {
    ...APPROVE_OR_REJECT,
    fields: [...APPROVE_OR_REJECT.fields, "allow_session"],
    // "allow for this session" (Claude Code) goes with an approve only
    body: (f) => ({
      ...(APPROVE_OR_REJECT.body(f) as object),
      ...(f.decision === "approve" && f.allow_session === "on" ? { allow_session: true } : {}),
    }),
  },
};

export type FormDecision = { ok: true; href: string } | { ok: false; state: DecisionFormState };

export async function decideFromForm(
  kind: RequestKind,
  principal: Principal,
  form: FormData,
): Promise<FormDecision> {
  const spec = FORM[kind];
  const f = formFields(form, ["id", ...spec.fields]);
  const lists = Object.fromEntries(
    (spec.lists ?? []).map((name) => [
      name,
      form.getAll(name).filter((v): v is string => typeof v === "string"),
    ]),
  );
  const refused = spec.refuse?.(f);
  if (refused) return { ok: false, state: { message: refused } };
  const always = await alwaysAllow(kind, principal, form, f);
  if (always) return { ok: false, state: always };
  try {
    const row = await decide(kind, principal, f.id, spec.body(f, lists));
    const status = statusOf(kind, row, new Date());
    // a quorum approval that was not the last: back to the request, which lists its approvers
    if (status === "pending") return { ok: true, href: `${pagePath(kind, row.id)}?approved=1` };
    const done = status as "approved" | "rejected" | "answered";
    return { ok: true, href: await nextPendingHref(done) };
  } catch (err) {
    if (err instanceof DecisionConflict) return { ok: false, state: { conflict: conflictOf(err) } };
    return { ok: false, state: formStateOfError(err, spec.fields) };
  }
}

/**
 * "Always allow this" ticked on an approve: save the reviewer's rule first (an invalid one
 * stops the decision, shown at the rule's field); returns the form state of a failure.
 */
async function alwaysAllow(
  kind: RequestKind,
  principal: Principal,
  form: FormData,
  f: Record<string, string>,
): Promise<DecisionFormState | null> {
  if (form.get("always_allow") !== "on" || f.decision !== "approve" || !KINDS[kind].quorum)
    return null;
  if (!can(principal, "admin"))
    return { message: "Only admins can add rules; approve without “always allow”." };
  const text = String(form.get("always_allow_rule") ?? "");
  const parsed = parseRuleJson(text);
  const r = parsed.ok ? await changeRule(parsed.rule, { by: actorName(principal) }) : parsed;
  if (r.ok) return null;
  const message = r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("\n");
  return { errors: { always_allow_rule: message } };
}

function conflictOf(err: DecisionConflict): NonNullable<DecisionFormState["conflict"]> {
  const { row, kind } = err;
  if (err.reason === "expired") {
    return {
      outcome: "expired",
      by: null,
      at: row.expiresAt?.toISOString() ?? null,
      comment: null,
    };
  }
  const d = decisionOf(kind, row);
  const successor = "supersededBy" in row ? (row.supersededBy as string | null) : null;
  return {
    outcome: statusOf(kind, row, new Date()) as "approved" | "rejected" | "answered" | "superseded",
    by: d.by,
    at: d.at?.toISOString() ?? null,
    comment: d.text,
    successor,
  };
}
