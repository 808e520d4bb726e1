import { describe, expect, it } from "vitest";
import { compileRules, evaluateRules, requestFacts, type RequestFacts } from "@/lib/rules/match";
import { parseRule, parseRuleJson, Rule, RuleList, type Rule as RuleT } from "@/lib/rules/rule";

const rule = (r: unknown): RuleT => Rule.parse(r);
const diffOf = (...paths: string[]) =>
  paths.map((p) => `--- a/${p}\n+++ b/${p}\n@@ -1,1 +1,2 @@\n line\n+added\n`).join("");

const approval = (paths: string[], agentId = "agent-1"): RequestFacts =>
  requestFacts(
    "approval",
    { filePath: paths[0], diff: diffOf(...paths), description: null },
    { agentId, keyName: "ci" },
  );

const bash = (command: string, agentId = "agent-1"): RequestFacts =>
  requestFacts(
    "tool_call",
    { toolName: "Bash", toolInput: { command }, filePath: null, diff: null, cwd: "/repo" },
    { agentId, keyName: null },
  );

const outcome = (rules: unknown[], facts: RequestFacts) =>
  evaluateRules(compileRules(rules.map(rule)), facts);

describe("rule schema", () => {
  it("takes the issue's example", () => {
    const r = parseRuleJson(
      '{"name": "docs", "match": {"kind": "approval", "agent_id": "a", "paths": ["docs/**"], "tool": "Bash", "command": "^npm (test|run lint)\\\\b", "max_lines": 200}, "action": "auto_approve"}',
    );
    expect(r.ok).toBe(true);
  });

  it("names an unknown field, at the top and inside match and action", () => {
    const top = parseRule({ name: "x", action: "auto_approve", colour: "red" });
    expect(top.ok || top.issues[0]!.message).toBe('unknown field "colour"');
    const inMatch = parseRule({ name: "x", match: { pathz: ["a"] }, action: "auto_approve" });
    expect(inMatch.ok || inMatch.issues[0]!.message).toBe('unknown field "pathz" in match');
    const inAction = parseRule({ name: "x", action: { auto_deny: "no", why: 1 } });
    expect(inAction.ok).toBe(false);
  });

  it("refuses an invalid glob and an invalid regular expression, naming them", () => {
    const g = parseRule({ name: "x", match: { paths: ["docs/[a"] }, action: "auto_approve" });
    expect(g.ok).toBe(false);
    if (!g.ok) {
      expect(g.issues[0]!.path).toBe("match.paths.0");
      expect(g.issues[0]!.message).toContain('"docs/[a" is not a valid glob');
    }
    const abs = parseRule({ name: "x", match: { paths: ["/docs/**"] }, action: "auto_approve" });
    expect(abs.ok || abs.issues[0]!.message).toContain("drop the leading /");
    const re = parseRule({ name: "x", match: { command: "^rm (" }, action: "auto_approve" });
    expect(re.ok).toBe(false);
    if (!re.ok) {
      expect(re.issues[0]!.path).toBe("match.command");
      expect(re.issues[0]!.message).toContain("not a valid regular expression");
    }
  });

  it("refuses bad actions and options", () => {
    expect(parseRule({ name: "x", action: "approve" }).ok).toBe(false);
    expect(parseRule({ name: "x", action: { require_approvals: 1 } }).ok).toBe(false);
    expect(parseRule({ name: "bad name", action: "auto_approve" }).ok).toBe(false);
    expect(parseRule({ name: "x", match: { kind: "question" }, action: "auto_approve" }).ok).toBe(
      false,
    );
    // on_expiry needs expire_after_s, and approve needs a narrow rule that does not decide
    expect(parseRule({ name: "x", action: { route_to: ["a@b"] }, on_expiry: "deny" }).ok).toBe(
      false,
    );
    const broad = parseRule({
      name: "x",
      action: { route_to: ["a@b"] },
      expire_after_s: 60,
      on_expiry: "approve",
    });
    expect(broad.ok || broad.issues[0]!.message).toContain("narrow");
    expect(
      parseRule({
        name: "x",
        match: { tool: "Read" },
        action: { route_to: ["a@b"] },
        expire_after_s: 60,
        on_expiry: "approve",
      }).ok,
    ).toBe(true);
  });

  it("a list refuses a name twice", () => {
    const r = RuleList.safeParse([
      { name: "a", action: "auto_approve" },
      { name: "a", action: "auto_approve" },
    ]);
    expect(r.success).toBe(false);
  });
});

describe("matching", () => {
  const docs = { name: "docs", match: { paths: ["docs/**"] }, action: "auto_approve" };

  it("paths holds when every file of the diff matches one glob", () => {
    expect(outcome([docs], approval(["docs/a.md"]))?.decision).toEqual({
      approved: true,
      message: null,
    });
    expect(outcome([docs], approval(["docs/a.md", "docs/deep/b.md"]))?.rule.name).toBe("docs");
    expect(outcome([docs], approval(["docs/a.md", "src/b.ts"]))).toBeNull();
    expect(outcome([docs], approval(["src/b.ts"]))).toBeNull();
    const two = { ...docs, match: { paths: ["docs/**", "*.md"] } };
    expect(outcome([two], approval(["docs/a.md", "README.md"]))?.rule.name).toBe("docs");
  });

  it("a tool call's absolute path is made relative to its folder", () => {
    const edit = requestFacts(
      "tool_call",
      { toolName: "Write", toolInput: {}, filePath: "/repo/docs/x.md", diff: null, cwd: "/repo" },
      { agentId: "a", keyName: null },
    );
    expect(outcome([docs], edit)?.rule.name).toBe("docs");
  });

  it("command regex, tool, agent, key, kind and sizes", () => {
    const npm = {
      name: "npm",
      match: { tool: "Bash", command: "^npm (test|run lint)\\b" },
      action: "auto_approve",
    };
    expect(outcome([npm], bash("npm test"))?.rule.name).toBe("npm");
    expect(outcome([npm], bash("npm testx"))).toBeNull();
    expect(outcome([npm], bash("rm -rf / && npm test"))).toBeNull();
    expect(outcome([npm], approval(["docs/a"]))).toBeNull();
    const agent = { name: "a", match: { agent_id: "agent-2" }, action: "auto_approve" };
    expect(outcome([agent], bash("ls", "agent-2"))?.rule.name).toBe("a");
    expect(outcome([agent], bash("ls", "agent-1"))).toBeNull();
    const key = { name: "k", match: { key: "ci" }, action: "auto_approve" };
    expect(outcome([key], approval(["x"]))?.rule.name).toBe("k");
    expect(outcome([key], bash("ls"))).toBeNull();
    const small = { name: "s", match: { max_lines: 2, max_files: 1 }, action: "auto_approve" };
    expect(outcome([small], approval(["x"]))?.rule.name).toBe("s"); // 1 line, 1 file
    expect(outcome([small], approval(["x", "y"]))).toBeNull();
    const kind = {
      name: "q",
      match: { kind: "question", question: "deploy" },
      action: { route_to: ["a@b"] },
    };
    const q = requestFacts(
      "question",
      { question: "May I deploy?" },
      { agentId: "a", keyName: null },
    );
    expect(outcome([kind], q)?.rule.name).toBe("q");
    expect(outcome([kind], bash("deploy"))).toBeNull();
  });

  it("a deciding rule without a kind never decides a question", () => {
    const q = requestFacts("question", { question: "?" }, { agentId: "a", keyName: null });
    expect(outcome([{ name: "all", action: "auto_approve" }], q)).toBeNull();
  });

  it("rules are ordered; the first deny wins over any approve", () => {
    const approveAll = { name: "all", action: "auto_approve" };
    const denyRm = {
      name: "rm",
      match: { command: "\\brm -rf\\b" },
      action: { auto_deny: "No rm -rf" },
    };
    const quorum = { name: "two", action: { require_approvals: 2 } };
    const rm = outcome([approveAll, denyRm], bash("rm -rf build"));
    expect(rm?.rule.name).toBe("rm");
    expect(rm?.decision).toEqual({ approved: false, message: "No rm -rf" });
    expect(outcome([approveAll, denyRm], bash("ls"))?.rule.name).toBe("all");
    expect(outcome([quorum, approveAll], bash("ls"))?.rule.name).toBe("two");
    expect(outcome([quorum, approveAll], bash("ls"))?.decision).toBeNull();
    expect(outcome([quorum, denyRm], bash("rm -rf x"))?.rule.name).toBe("rm");
  });

  it("an unparsable diff does not stop a rule that asks nothing about files", () => {
    // an unparsable diff with only a command rule: no error, no match on files
    const f = requestFacts(
      "approval",
      { filePath: "a", diff: "not a diff", description: null },
      { agentId: "a", keyName: null },
    );
    expect(
      outcome([{ name: "a", match: { agent_id: "a" }, action: "auto_approve" }], f)?.rule.name,
    ).toBe("a");
  });
});

describe("always allow: the proposed rule", () => {
  it("a shell call: this agent, this tool, the command's first words; the next identical call matches", async () => {
    const { proposeRule } = await import("@/lib/rules/propose");
    const row = {
      agentId: "claude-1",
      toolName: "Bash",
      toolInput: { command: "npm test -- --watch=false" },
      filePath: null,
      diff: null,
      cwd: "/r",
    };
    const r = proposeRule("tool_call", row, "ab12")!;
    expect(r).toEqual({
      name: "allow-bash-npm-claude-1-ab12",
      match: {
        kind: "tool_call",
        agent_id: "claude-1",
        tool: "Bash",
        command: "^npm\\s+test(\\s|$)",
      },
      action: "auto_approve",
    });
    expect(Rule.safeParse(r).success).toBe(true);
    expect(
      outcome([r], requestFacts("tool_call", row, { agentId: "claude-1", keyName: null }))?.rule
        .name,
    ).toBe(r.name);
    expect(outcome([r], bash("npm testing", "claude-1"))).toBeNull();
    expect(outcome([r], bash("npm test", "claude-2"))).toBeNull();
  });

  it("a change: the folders of its files; a question: none", async () => {
    const { proposeRule } = await import("@/lib/rules/propose");
    const row = {
      agentId: "a",
      filePath: "docs/guide/x.md",
      diff: diffOf("docs/guide/x.md"),
      description: null,
    };
    const r = proposeRule("approval", row, "x")!;
    expect(r.match).toEqual({ kind: "approval", agent_id: "a", paths: ["docs/guide/**"] });
    expect(outcome([r], approval(["docs/guide/y.md"], "a"))?.rule.name).toBe(r.name);
    expect(outcome([r], approval(["docs/other.md"], "a"))).toBeNull();
    expect(
      proposeRule("question", { agentId: "a", question: "?" } as { agentId: string }, "x"),
    ).toBeNull();
  });
});
