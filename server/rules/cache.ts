import "server-only";
import { RULES_CHANGED } from "@/db/events";
import { listRules } from "@/db/queries/rules";
import { log } from "@/lib/log";
import { compileRules, type CompiledRule } from "@/lib/rules/match";
import { ensureListening, onControl } from "@/server/events/hub";

/*
 * This process's compiled copy of the rules: loaded and compiled once, then every
 * submission matches in memory (no database round trip). Any process that changes the
 * rules NOTIFYs rules.changed in the same transaction (db/queries/rules.ts); the hub
 * (server/events/hub.ts) hears it here and the copy is dropped, so the next submission
 * in every process reloads it: a change is in effect within the time a NOTIFY takes.
 * After the hub (re)connects a NOTIFY may have been missed: the copy is dropped then too.
 * Without a LISTEN connection (the database unreachable), a copy is kept for at most
 * UNHEARD_TTL_MS.
 */

const UNHEARD_TTL_MS = 1000;

interface Cache {
  compiled: CompiledRule[] | null;
  /** when a copy held without a LISTEN connection must be reloaded (null: never) */
  staleAt: number | null;
  loading: Promise<CompiledRule[]> | null;
  /** bumped by every invalidation: a load that started before one is not kept */
  generation: number;
  subscribed: boolean;
}

const g = globalThis as unknown as { __nexusRules?: Cache };

function cache(): Cache {
  g.__nexusRules ??= {
    compiled: null,
    staleAt: null,
    loading: null,
    generation: 0,
    subscribed: false,
  };
  return g.__nexusRules;
}

/** Drop this process's copy (a change was heard, or made here). */
export function invalidateRules(): void {
  const c = cache();
  c.generation++;
  c.compiled = null;
  c.loading = null;
}

async function load(c: Cache): Promise<CompiledRule[]> {
  if (!c.subscribed) {
    c.subscribed = true;
    onControl((type) => {
      if (type === RULES_CHANGED || type === "recheck") invalidateRules();
    });
  }
  const generation = c.generation;
  let listening = true;
  try {
    await ensureListening();
  } catch (err) {
    listening = false;
    log().warn({ err }, "rules: no LISTEN connection; the rules are re-read every second");
  }
  const compiled = compileRules((await listRules()).map((r) => r.rule));
  if (c.generation === generation) {
    c.compiled = compiled;
    c.staleAt = listening ? null : Date.now() + UNHEARD_TTL_MS;
  }
  return compiled;
}

/** The rules in order, compiled. In memory after the first call of each change. */
export async function currentRules(): Promise<CompiledRule[]> {
  const c = cache();
  if (c.compiled && (c.staleAt === null || Date.now() < c.staleAt)) return c.compiled;
  const generation = c.generation;
  c.loading ??= load(c).finally(() => {
    if (c.generation === generation) c.loading = null;
  });
  return c.loading;
}
