import Link from "next/link";
import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { UtcTime } from "@/components/auth/utc-time";
import { RuleEditor } from "@/components/rules/rule-editor";
import { RowAction } from "@/components/webhooks/webhook-forms";
import { listRules } from "@/db/queries/rules";
import { describeAction, ruleJson, type Rule } from "@/lib/rules/rule";
import { requirePagePrincipal } from "@/server/auth/session";
import { moveRuleDownAction, moveRuleUpAction, removeRuleAction } from "./actions";

export const metadata = { title: "Rules" };

const TEMPLATE = JSON.stringify(
  { name: "docs", match: { kind: "approval", paths: ["docs/**"] }, action: "auto_approve" },
  null,
  2,
);

function matchWords(rule: Rule): string {
  const m = Object.entries(rule.match).map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return m.length ? m.join(" · ") : "every request";
}

export default async function RulesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const principal = await requirePagePrincipal("admin");
  const params = await searchParams;
  const editing = typeof params.edit === "string" ? params.edit : null;
  const rules = await listRules();
  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />

      <h2 className="mb-1 text-lg font-semibold">Rules</h2>
      <p className="mb-4 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Every new request is matched against these rules, in order. A matching deny wins over
        everything; otherwise the first matching rule applies: it approves or denies at once
        (decided by <code className="font-mono">rule:&lt;name&gt;</code>), asks for more approvals,
        routes the request to reviewers, or sets when it expires or escalates. Changes take effect
        in every Nexus process within a second. Also:{" "}
        <code className="font-mono">npm run nexus -- rule list|add|export|import</code>.
      </p>

      {rules.length === 0 ? (
        <p className="mb-8 rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No rules yet: every request waits for a reviewer. Add one below, or tick “always allow
          this” when approving a tool call or a change.
        </p>
      ) : (
        <ol className="mb-8 space-y-3" aria-label="Rules, in the order they are evaluated">
          {rules.map(({ rule, updatedAt, updatedBy }, i) => (
            <li
              key={rule.name}
              aria-label={`Rule ${rule.name}`}
              className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h3 className="font-mono text-sm font-medium break-all">
                    {i + 1}. {rule.name}
                  </h3>
                  <p className="mt-1 text-sm">
                    {describeAction(rule.action)} when {matchWords(rule)}
                  </p>
                  <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                    {rule.expire_after_s
                      ? `expires after ${rule.expire_after_s} s${rule.on_expiry ? `, then ${rule.on_expiry}` : ""} · `
                      : ""}
                    {rule.escalate_after_s ? `escalates after ${rule.escalate_after_s} s · ` : ""}
                    changed <UtcTime value={updatedAt} />
                    {updatedBy ? ` by ${updatedBy}` : ""} ·{" "}
                    <Link
                      className="underline"
                      href={`/history?rule=${encodeURIComponent(rule.name)}`}
                    >
                      requests it decided
                    </Link>
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Link
                    href={`/settings/rules?edit=${encodeURIComponent(rule.name)}#edit`}
                    className="inline-flex min-h-11 items-center rounded border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                    aria-label={`Edit rule ${rule.name}`}
                  >
                    Edit
                  </Link>
                  {i > 0 ? (
                    <RowAction
                      action={moveRuleUpAction}
                      id={rule.name}
                      fieldName="name"
                      label="↑"
                      busy="…"
                      ariaLabel={`Move rule ${rule.name} up`}
                      className="min-w-11"
                    />
                  ) : null}
                  {i < rules.length - 1 ? (
                    <RowAction
                      action={moveRuleDownAction}
                      id={rule.name}
                      fieldName="name"
                      label="↓"
                      busy="…"
                      ariaLabel={`Move rule ${rule.name} down`}
                      className="min-w-11"
                    />
                  ) : null}
                  <RowAction
                    action={removeRuleAction}
                    id={rule.name}
                    fieldName="name"
                    label="Remove"
                    busy="Removing…"
                    confirm={`Remove rule "${rule.name}"? Requests it matched stay as they are.`}
                    ariaLabel={`Remove rule ${rule.name}`}
                    danger
                  />
                </div>
              </div>
              <details className="mt-2">
                <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">
                  JSON
                </summary>
                <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
                  {JSON.stringify(ruleJson(rule), null, 2)}
                </pre>
              </details>
              {editing === rule.name ? (
                <div id="edit" className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
                  <RuleEditor
                    key={`edit-${rule.name}`}
                    initial={JSON.stringify(ruleJson(rule), null, 2)}
                    replacing={rule.name}
                    idPrefix="edit-rule"
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}

      <h2 className="mb-2 text-lg font-semibold">Add a rule</h2>
      <RuleEditor initial={TEMPLATE} />
    </section>
  );
}
