import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { decideRequest, ON_EXPIRY_COMMENT, sweepTimedEvents } from "@/db/queries/request-store";
import {
  cachedRules,
  listRules,
  moveRule,
  removeRule,
  replaceRules,
  saveRule,
} from "@/db/queries/rules";
import type { Principal } from "@/lib/auth/principal";
import { listHistory } from "@/db/queries/history";
import { listPending } from "@/db/queries/inbox";
import { getMetrics } from "@/db/queries/metrics";
import { parseMetricsFilter } from "@/lib/metrics/period";
import { Rule } from "@/lib/rules/rule";
import { read, submit } from "@/server/requests/service";
import { verdictOf } from "@/lib/domain/tool-calls";
import { hookAnswer } from "@/lib/integrations/claude-code";
import { decideFromForm } from "@/server/requests/forms";
import { proposeRule } from "@/lib/rules/propose";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Rules applied on the one submission path (server/requests/service.ts → the store):
 * auto decisions at creation with decided_by rule:<name> and an automatic hitl_metrics
 * row, the other actions recorded on the request, and the in-memory copy dropped by the
 * rules.changed NOTIFY.
 */

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const agentKey: Principal = { kind: "key", id: randomUUID(), name: "ci-agent", role: "agent" };
const diffOf = (...paths: string[]) =>
  paths.map((p) => `--- a/${p}\n+++ b/${p}\n@@ -1 +1 @@\n-a\n+b\n`).join("");

const approval = (path: string, agent = "agent-1") =>
  submit("approval", agentKey, { file_path: path, diff: diffOf(path), agent_id: agent });

/** The in-memory copy reflects the rules `names`: polled, since a NOTIFY takes a moment. */
async function rulesInEffect(names: string[]) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const now = (await cachedRules()).map((c) => c.rule.name);
    if (JSON.stringify(now) === JSON.stringify(names)) return;
    if (Date.now() > deadline) throw new Error(`rules in effect: ${now.join(",")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const add = (rule: unknown) => saveRule(Rule.parse(rule), { by: "test" });

async function metricOf(id: string) {
  const [m] = await rows<{ automatic: boolean; user_id: string }>(
    database.db,
    sql`SELECT automatic, user_id FROM hitl_metrics WHERE request_id = ${id}`,
  );
  return m ?? null;
}

describe(`rules on submission (${testDbKind})`, () => {
  test("docs/** is approved at creation by rule:docs, with an automatic metrics row; src/** stays pending", async () => {
    await rulesInEffect([]);
    expect(await add({ name: "docs", match: { paths: ["docs/**"] }, action: "auto_approve" })).toBe(
      "created",
    );
    await rulesInEffect(["docs"]);
    const docs = await approval("docs/guide.md");
    expect(docs.created).toBe(true);
    expect(docs.row.approved).toBe(true);
    expect(docs.row.decidedBy).toBe("rule:docs");
    expect(docs.row.ruleName).toBe("docs");
    expect(docs.row.approvedAt).not.toBeNull();
    expect(await metricOf(docs.row.id)).toEqual({ automatic: true, user_id: "rule:docs" });

    const src = await approval("src/app.ts");
    expect(src.row.approved).toBeNull();
    expect(src.row.ruleName).toBeNull();
    expect(await metricOf(src.row.id)).toBeNull();
    // a person's decision is not automatic
    await decideRequest("approval", {
      id: src.row.id,
      decision: { approved: true, comment: null },
      decidedBy: "ana@example.com",
    });
    expect(await metricOf(src.row.id)).toEqual({ automatic: false, user_id: "ana@example.com" });
  });

  test("an identical retry of an auto-approved request is the same request", async () => {
    const id = randomUUID();
    const body = { id, file_path: "docs/x.md", diff: diffOf("docs/x.md"), agent_id: "agent-1" };
    const first = await submit("approval", agentKey, body);
    const again = await submit("approval", agentKey, body);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.row.decidedBy).toBe("rule:docs");
  });

  test("a deny anywhere wins over an earlier approve; the agent gets the rule's message", async () => {
    await add({ name: "all-bash", match: { tool: "Bash" }, action: "auto_approve" });
    await add({
      name: "no-rm",
      match: { command: "\\brm\\s+-rf\\b" },
      action: { auto_deny: "rm -rf is never allowed" },
    });
    await rulesInEffect(["docs", "all-bash", "no-rm"]);
    const call = (command: string) =>
      submit("tool_call", agentKey, {
        tool_name: "Bash",
        tool_input: { command },
        agent_id: "agent-1",
      });
    const rm = await call("rm -rf build");
    expect(rm.row.approved).toBe(false);
    expect(rm.row.decidedBy).toBe("rule:no-rm");
    expect(rm.row.comment).toBe("rm -rf is never allowed");
    const ls = await call("ls");
    expect(ls.row.approved).toBe(true);
    expect(ls.row.decidedBy).toBe("rule:all-bash");
  });

  test("questions are never decided by a rule; route_to, expire_after_s and escalate_after_s are recorded", async () => {
    await add({
      name: "deploys",
      match: { kind: "question", question: "deploy" },
      action: { route_to: ["ops@example.com"] },
      expire_after_s: 60,
      escalate_after_s: 30,
    });
    await rulesInEffect(["docs", "all-bash", "no-rm", "deploys"]);
    const before = Date.now();
    const q = await submit("question", agentKey, {
      question: "May I deploy?",
      agent_id: "agent-1",
      expires_in_s: 3600,
    });
    expect(q.row.response).toBeNull();
    expect(q.row.ruleName).toBe("deploys");
    expect(q.row.routedTo).toEqual(["ops@example.com"]);
    expect(q.row.escalateAfterS).toBe(30);
    // the earlier of the agent's hour and the rule's minute
    const expires = q.row.expiresAt!.getTime();
    expect(expires).toBeGreaterThan(before + 50_000);
    expect(expires).toBeLessThan(before + 70_000);
    // the inbox lists it first for the reviewer it was routed to, marked; not for others
    const mine = await listPending({ viewer: "ops@example.com" });
    expect(mine[0]).toMatchObject({ id: q.row.id, routedToViewer: true });
    const theirs = await listPending({ viewer: "ana@example.com", order: "newest" });
    expect(theirs.find((i) => i.id === q.row.id)?.routedToViewer).toBe(false);
    expect(theirs.filter((i) => i.routedToViewer)).toEqual([]);
  });

  test("order, move, remove and import renumber and take effect", async () => {
    expect(await moveRule("no-rm", -1, "test")).toBe(true);
    await rulesInEffect(["docs", "no-rm", "all-bash", "deploys"]);
    expect(await removeRule("all-bash", "test")).toBe(true);
    expect(await removeRule("all-bash", "test")).toBe(false);
    await rulesInEffect(["docs", "no-rm", "deploys"]);
    expect(await add({ name: "docs", action: "auto_approve" })).toBe("exists");
    expect(
      await saveRule(
        Rule.parse({ name: "docs2", action: "auto_approve", match: { paths: ["docs/*"] } }),
        {
          by: "test",
          replacing: "docs",
        },
      ),
    ).toBe("updated");
    await rulesInEffect(["docs2", "no-rm", "deploys"]);
    expect((await listRules()).map((r) => [r.rule.name, r.position])).toEqual([
      ["docs2", 0],
      ["no-rm", 1],
      ["deploys", 2],
    ]);
    await replaceRules([], "test");
    await rulesInEffect([]);
    const src = await approval("docs/guide.md");
    expect(src.row.approved).toBeNull();
  });

  test("metrics show people's and rules' decisions apart; response times are people's only", async () => {
    const parsed = parseMetricsFilter(new URLSearchParams("period=all"), new Date());
    if (!parsed.ok) throw new Error("filter");
    const m = await getMetrics(parsed.filter);
    // decided so far: docs/guide.md, docs/x.md (rule docs), rm (no-rm), ls (all-bash); src by ana
    expect(m.summary.total).toBe(1);
    expect(m.byReviewer.map((r) => r.userId)).toEqual(["ana@example.com"]);
    expect(m.automatic.decisions).toBe(4);
    expect(m.automatic.byRule).toEqual([
      { rule: "docs", decisions: 2 },
      { rule: "all-bash", decisions: 1 },
      { rule: "no-rm", decisions: 1 },
    ]);
  });

  test("always allow: approving with the proposed rule saves it, and the next identical call is approved by it", async () => {
    const admin: Principal = {
      kind: "user",
      id: "u1",
      email: "admin@example.com",
      name: "A",
      role: "admin",
    };
    const reviewer: Principal = { ...admin, email: "rev@example.com", role: "reviewer" };
    const call = () =>
      submit("tool_call", agentKey, {
        tool_name: "Bash",
        tool_input: { command: "npm run lint -- --fix" },
        agent_id: "claude-7",
      });
    const first = await call();
    expect(first.row.approved).toBeNull();
    const proposal = proposeRule("tool_call", first.row, "t1")!;
    const form = (p: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ id: first.row.id, decision: "approve", ...p }))
        f.set(k, v);
      return f;
    };
    // a reviewer may approve, but not add rules
    const refused = await decideFromForm(
      "tool_call",
      reviewer,
      form({ always_allow: "on", always_allow_rule: JSON.stringify(proposal) }),
    );
    expect(refused.ok).toBe(false);
    // an invalid rule stops the decision, at its field
    const bad = await decideFromForm(
      "tool_call",
      admin,
      form({
        always_allow: "on",
        always_allow_rule: JSON.stringify({ ...proposal, match: { command: "(" } }),
      }),
    );
    expect(bad.ok || bad.state.errors?.always_allow_rule).toContain("match.command");
    expect(
      (
        await submit("tool_call", agentKey, {
          tool_name: "Bash",
          tool_input: { command: "npm run lint -- --fix" },
          agent_id: "claude-7",
          id: first.row.id,
        })
      ).row.approved,
    ).toBeNull();
    const done = await decideFromForm(
      "tool_call",
      admin,
      form({ always_allow: "on", always_allow_rule: JSON.stringify(proposal) }),
    );
    expect(done.ok).toBe(true);
    await rulesInEffect([proposal.name]);
    const next = await call();
    expect(next.row.id).not.toBe(first.row.id);
    expect(next.row.approved).toBe(true);
    expect(next.row.decidedBy).toBe(`rule:${proposal.name}`);
    await replaceRules([], "test");
    await rulesInEffect([]);
  });

  test("on_expiry approve: the sweep approves it by the rule at expiry; escalate_after_s escalates by the rule's time", async () => {
    await add({
      name: "reads",
      match: { tool: "Read" },
      action: { route_to: ["ana@example.com"] },
      expire_after_s: 600,
      on_expiry: "approve",
      escalate_after_s: 60,
    });
    await rulesInEffect(["reads"]);
    const read = await submit("tool_call", agentKey, {
      tool_name: "Read",
      tool_input: { file_path: "/r/a" },
      agent_id: "agent-1",
    });
    expect(read.row.onExpiry).toBe("approve");
    // one minute old: escalated by the rule's 60 s (no escalation setting exists)
    await database.db.execute(
      sql`UPDATE tool_call_requests SET created_at = created_at - interval '61 seconds' WHERE id = ${read.row.id}`,
    );
    await sweepTimedEvents();
    const events = async () =>
      (
        await rows<{ type: string }>(
          database.db,
          sql`SELECT type FROM outbox_events WHERE request_id = ${read.row.id} ORDER BY type`,
        )
      ).map((e) => e.type);
    expect(await events()).toContain("request.escalated");
    // expired undecided: approved by the rule, automatically
    await database.db.execute(
      sql`UPDATE tool_call_requests SET expires_at = now() - interval '1 second' WHERE id = ${read.row.id}`,
    );
    await sweepTimedEvents();
    const [row] = await rows<{ approved: boolean; decided_by: string; comment: string }>(
      database.db,
      sql`SELECT approved, decided_by, comment FROM tool_call_requests WHERE id = ${read.row.id}`,
    );
    expect(row).toEqual({ approved: true, decided_by: "rule:reads", comment: ON_EXPIRY_COMMENT });
    expect(await metricOf(read.row.id)).toEqual({ automatic: true, user_id: "rule:reads" });
    expect(await events()).toContain("request.decided");
    expect(await events()).not.toContain("request.expired");
    await removeRule("reads", "test");
  });

  test("history filters by the rule that matched", async () => {
    const page = await listHistory({ rule: "docs" });
    expect(page.items.map((r) => r.title).sort()).toEqual(["docs/guide.md", "docs/x.md"]);
    expect(page.items.every((r) => r.decidedBy === "rule:docs")).toBe(true);
  });

  test("allow for this session: Claude Code's suggestions come back as updatedPermissions, kept to the session", async () => {
    const reviewer: Principal = {
      kind: "user",
      id: "u2",
      email: "rev@example.com",
      name: "R",
      role: "reviewer",
    };
    const suggestions = [
      {
        type: "addRules",
        rules: [{ toolName: "Bash", ruleContent: "make build:*" }],
        behavior: "allow",
        destination: "localSettings",
      },
    ];
    const made = await submit("tool_call", agentKey, {
      tool_name: "Bash",
      tool_input: { command: "make build" },
      agent_id: "claude-9",
      hook_event: "PermissionRequest",
      permission_suggestions: suggestions,
    });
    expect(made.row.permissionSuggestions).toEqual(suggestions);
    const f = new FormData();
    for (const [k, v] of Object.entries({
      id: made.row.id,
      decision: "approve",
      allow_session: "on",
    }))
      f.set(k, v);
    expect((await decideFromForm("tool_call", reviewer, f)).ok).toBe(true);
    const row = (await read("tool_call", made.row.id))!;
    expect(row.allowSession).toBe(true);
    const answer = hookAnswer("PermissionRequest", verdictOf(row, 60));
    expect(answer).toEqual({
      hookSpecificOutput: {
        hookEventName: "PermissionRequest",
        decision: {
          behavior: "allow",
          updatedPermissions: [{ ...suggestions[0], destination: "session" }],
        },
      },
    });
    // without the tick: a plain allow
    const other = await submit("tool_call", agentKey, {
      tool_name: "Bash",
      tool_input: { command: "make test" },
      agent_id: "claude-9",
      permission_suggestions: suggestions,
    });
    const g = new FormData();
    for (const [k, v] of Object.entries({ id: other.row.id, decision: "approve" })) g.set(k, v);
    await decideFromForm("tool_call", reviewer, g);
    const plain = (await read("tool_call", other.row.id))!;
    expect(hookAnswer("PermissionRequest", verdictOf(plain, 60))).toEqual({
      hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } },
    });
  });

  test("require_approvals sets the request's quorum; rule changes are in the audit log", async () => {
    await add({
      name: "two",
      match: { agent_id: "quorum-agent" },
      action: { require_approvals: 2 },
    });
    await rulesInEffect(["two"]);
    const q = await approval("src/q.ts", "quorum-agent");
    expect(q.row.requiredApprovals).toBe(2);
    expect(q.row.ruleName).toBe("two");
    expect((await approval("src/q.ts")).row.requiredApprovals).toBe(1);
    await removeRule("two", "ana@example.com");
    const events = await rows<{ event: string; actor: string; subject_id: string }>(
      database.db,
      sql`SELECT event, actor, subject_id FROM audit_log WHERE subject_type = 'rule' AND subject_id IN ('two', 'docs') ORDER BY id`,
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { event: "rule.created", actor: "test", subject_id: "docs" },
        { event: "rule.created", actor: "test", subject_id: "two" },
        { event: "rule.removed", actor: "ana@example.com", subject_id: "two" },
      ]),
    );
  });

  test("the original example SQL still inserts metrics (automatic defaults to false)", async () => {
    const id = randomUUID();
    await database.db.execute(
      sql`INSERT INTO hitl_metrics (request_type, request_id, response_time_ms, user_id) VALUES ('approval', ${id}, 1200, 'x@example.com')`,
    );
    expect(await metricOf(id)).toEqual({ automatic: false, user_id: "x@example.com" });
  });
});
