import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { compileRules, type CompiledRule } from "@/lib/rules/match";
import type { Rule } from "@/lib/rules/rule";
import { getDb, type Executor } from "../client";
import { notifyInvalidate } from "../events";
import { recordAudit } from "./audit";
import { rules, users } from "../schema";

/*
 * The stored rules, in order. Every change runs in one transaction that renumbers
 * positions 0..n-1 and NOTIFYs cache.invalidate "rules", so every process drops its
 * compiled copy (cachedRules below; server/events/hub.ts calls forgetCachedRules). The
 * rule itself is validated before it gets here (lib/rules/rule.ts, server/rules/service.ts);
 * this file stores what it is given.
 */

/* ---- this process's compiled copy -------------------------------------------------- */

/**
 * Submissions match against a compiled copy held in memory (no database round trip on
 * the agent's path). A change through Nexus clears it in every process at once (the
 * NOTIFY); a copy is also re-read after RULES_CACHE_MS, so a change a notice never
 * announced (psql, a lost connection) is in effect within a second anyway. A load that
 * started before a clear is not kept. On globalThis: Next.js loads modules more than once.
 */
export const RULES_CACHE_MS = 1000;

interface RulesCache {
  compiled: CompiledRule[] | null;
  at: number;
  loading: Promise<CompiledRule[]> | null;
  generation: number;
}
const g = globalThis as unknown as { __nexusRules?: RulesCache };
const rulesCache = () =>
  (g.__nexusRules ??= { compiled: null, at: 0, loading: null, generation: 0 });

export function forgetCachedRules(): void {
  const c = rulesCache();
  c.generation++;
  c.compiled = null;
  c.loading = null;
}

/** The rules in order, compiled: from memory, or read once for everyone waiting. */
export function cachedRules(): Promise<CompiledRule[]> | CompiledRule[] {
  const c = rulesCache();
  if (c.compiled && performance.now() - c.at < RULES_CACHE_MS) return c.compiled;
  if (c.loading) return c.loading;
  const generation = c.generation;
  const started = performance.now();
  const loading = listRules().then((stored) => {
    const compiled = compileRules(stored.map((r) => r.rule));
    if (c.generation === generation) {
      c.compiled = compiled;
      c.at = started;
      c.loading = null;
    }
    return compiled;
  });
  loading.catch(() => {
    if (c.generation === generation) c.loading = null;
  });
  c.loading = loading;
  return loading;
}

export interface StoredRule {
  rule: Rule;
  position: number;
  createdBy: string | null;
  createdAt: Date;
  updatedBy: string | null;
  updatedAt: Date;
}

type Tx = Pick<Executor, "select" | "insert" | "update" | "delete" | "execute">;

const toStored = (r: typeof rules.$inferSelect): StoredRule => ({
  rule: r.rule as Rule,
  position: r.position,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedBy: r.updatedBy,
  updatedAt: r.updatedAt,
});

export async function listRules(): Promise<StoredRule[]> {
  const db = await getDb();
  const found = await db.select().from(rules).orderBy(asc(rules.position), asc(rules.name));
  return found.map(toStored);
}

export async function getRule(name: string): Promise<StoredRule | null> {
  const db = await getDb();
  const [row] = await db.select().from(rules).where(eq(rules.name, name));
  return row ? toStored(row) : null;
}

/** Rewrite positions 0..n-1 in the order given (names not listed keep their relative order after). */
async function renumber(tx: Tx, order: string[]) {
  for (const [i, name] of order.entries()) {
    await tx.update(rules).set({ position: i }).where(eq(rules.name, name));
  }
}

async function names(tx: Tx): Promise<string[]> {
  const found = await tx
    .select({ name: rules.name })
    .from(rules)
    .orderBy(asc(rules.position), asc(rules.name));
  return found.map((r) => r.name);
}

export type SaveOutcome = "created" | "updated" | "exists" | "not_found";

/**
 * Add a rule (at the end, or at `position`), or replace the rule named `replacing` (which
 * may rename it; it keeps its place). "exists": another rule has that name.
 */
export async function saveRule(
  rule: Rule,
  o: { by: string; replacing?: string | null; position?: number | null },
): Promise<SaveOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    // one writer at a time: positions are renumbered below
    await tx.execute(sql`LOCK TABLE ${rules} IN SHARE ROW EXCLUSIVE MODE`);
    const order = await names(tx);
    const replacing = o.replacing ?? null;
    if (replacing !== null && !order.includes(replacing)) return "not_found";
    if (rule.name !== replacing && order.includes(rule.name)) return "exists";
    await recordAudit(tx, {
      event: replacing !== null ? "rule.changed" : "rule.created",
      actor: o.by,
      subjectType: "rule",
      subjectId: rule.name,
      details: {
        rule,
        ...(replacing !== null && replacing !== rule.name ? { renamed_from: replacing } : {}),
      },
    });
    if (replacing !== null) {
      await tx
        .update(rules)
        .set({ name: rule.name, rule, updatedBy: o.by, updatedAt: sql`now()` })
        .where(eq(rules.name, replacing));
      await renumber(
        tx,
        order.map((n) => (n === replacing ? rule.name : n)),
      );
    } else {
      const at = Math.max(0, Math.min(o.position ?? order.length, order.length));
      await tx.insert(rules).values({
        name: rule.name,
        position: order.length,
        rule,
        createdBy: o.by,
        updatedBy: o.by,
      });
      await renumber(tx, [...order.slice(0, at), rule.name, ...order.slice(at)]);
    }
    await notifyInvalidate(tx, "rules");
    return replacing !== null ? "updated" : "created";
  });
}

export async function removeRule(name: string, by: string): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE ${rules} IN SHARE ROW EXCLUSIVE MODE`);
    const removed = await tx.delete(rules).where(eq(rules.name, name)).returning();
    if (removed.length === 0) return false;
    await recordAudit(tx, {
      event: "rule.removed",
      actor: by,
      subjectType: "rule",
      subjectId: name,
      details: { rule: removed[0]!.rule as Record<string, unknown> },
    });
    await renumber(tx, await names(tx));
    await notifyInvalidate(tx, "rules");
    return true;
  });
}

/** Move a rule one place up (-1) or down (+1). False: no such rule. */
export async function moveRule(name: string, by: -1 | 1, actor: string): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE ${rules} IN SHARE ROW EXCLUSIVE MODE`);
    const order = await names(tx);
    const i = order.indexOf(name);
    if (i < 0) return false;
    const j = i + by;
    if (j >= 0 && j < order.length) {
      [order[i], order[j]] = [order[j]!, order[i]!];
      await renumber(tx, order);
      await recordAudit(tx, {
        event: "rule.changed",
        actor,
        subjectType: "rule",
        subjectId: name,
        details: { position: j + 1, was: i + 1 },
      });
      await notifyInvalidate(tx, "rules");
    }
    return true;
  });
}

/** Replace every rule with `list`, in its order (rule import). */
export async function replaceRules(list: Rule[], by: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE ${rules} IN SHARE ROW EXCLUSIVE MODE`);
    const before = await tx.delete(rules).returning({ name: rules.name, rule: rules.rule });
    for (const old of before) {
      await recordAudit(tx, {
        event: "rule.removed",
        actor: by,
        subjectType: "rule",
        subjectId: old.name,
        details: { rule: old.rule as Record<string, unknown>, import: true },
      });
    }
    for (const rule of list) {
      await recordAudit(tx, {
        event: "rule.created",
        actor: by,
        subjectType: "rule",
        subjectId: rule.name,
        details: { rule, import: true },
      });
    }
    if (list.length > 0) {
      await tx.insert(rules).values(
        list.map((rule, position) => ({
          name: rule.name,
          position,
          rule,
          createdBy: by,
          updatedBy: by,
        })),
      );
    }
    await notifyInvalidate(tx, "rules");
  });
}

/** People who can approve (admins and reviewers, not disabled): the largest possible quorum. */
export async function activeReviewerCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(inArray(users.role, ["admin", "reviewer"]), isNull(users.disabledAt)));
  return Number(row?.n ?? 0);
}
