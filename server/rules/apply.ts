import "server-only";
import type { KindDecisions, RuleEffect } from "@/db/queries/request-store";
import { KINDS, type RequestKind } from "@/lib/domain/kinds";
import { evaluateRules, requestFacts } from "@/lib/rules/match";
import { cachedRules } from "@/db/queries/rules";

/*
 * The rules applied to a submission (server/requests/service.ts calls this before the
 * store creates the request): which rule applies, and what it does to the request. The
 * store then writes it all in the create transaction (db/queries/request-store.ts).
 */

export interface AppliedRule<K extends RequestKind> {
  effect: RuleEffect<K>;
  /** the rule's expire_after_s (the request expires at the earlier of it and its own) */
  expireAfterS: number | null;
  /** the rule's require_approvals (the quorum; null: the rule sets none) */
  requiredApprovals: number | null;
}

export async function applyRules<K extends RequestKind>(
  kind: K,
  fields: object,
  o: {
    agentId: string;
    keyName: string | null;
    /** the kind's decision for approve/deny (kinds that approve) */
    decision(approved: boolean, message: string | null): KindDecisions[K];
  },
): Promise<AppliedRule<K> | null> {
  const cached = cachedRules();
  const rules = Array.isArray(cached) ? cached : await cached;
  if (rules.length === 0) return null;
  const outcome = evaluateRules(rules, requestFacts(kind, fields, o));
  if (!outcome) return null;
  const { rule, decision } = outcome;
  const action = rule.action;
  return {
    effect: {
      name: rule.name,
      decision: decision ? o.decision(decision.approved, decision.message) : null,
      routedTo: typeof action === "object" && "route_to" in action ? action.route_to : null,
      onExpiry: KINDS[kind].quorum ? (rule.on_expiry ?? null) : null,
      escalateAfterS: rule.escalate_after_s ?? null,
    },
    expireAfterS: rule.expire_after_s ?? null,
    requiredApprovals:
      typeof action === "object" && "require_approvals" in action ? action.require_approvals : null,
  };
}
