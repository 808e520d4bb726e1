import picomatch from "picomatch";
import { z } from "zod";
import { MAX_AGENT_ID, MAX_EXPIRES_IN_S } from "@/lib/api/limits";
import { KINDS, REQUEST_KINDS } from "@/lib/domain/kinds";

/*
 * A rule, in its one JSON form (docs/rules.md): what `rule add --json` takes, `rule
 * export` prints and Settings → Rules edits. Strict: an unknown field, an invalid glob or
 * regular expression is an error naming the field. Pure: the server compiles the stored
 * rules once per change (lib/rules/match.ts) and matches every submission in memory.
 */

export const RULE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
export const MAX_RULE_GLOBS = 50;
export const MAX_RULE_PATTERN = 500;
export const MAX_ROUTE_TO = 20;
export const MAX_AUTO_DENY_MESSAGE = 2000;
/** a quorum above this is a typo, whatever the number of reviewers */
export const MAX_REQUIRED_APPROVALS = 20;

/** Why `glob` is not a usable path glob, or null. Paths are relative to the repository. */
export function globProblem(glob: string): string | null {
  if (glob.trim() === "") return "must not be empty";
  if (glob.includes("\u0000")) return "must not contain NUL";
  if (glob.startsWith("/"))
    return "globs match paths relative to the repository (docs/**, not /docs/**): drop the leading /";
  try {
    picomatch.makeRe(glob, { strictBrackets: true, dot: true });
  } catch (err) {
    return `is not a valid glob: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}

/** Why `pattern` is not a usable regular expression, or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern === "") return "must not be empty";
  try {
    new RegExp(pattern, "u");
  } catch (err) {
    return `is not a valid regular expression: ${err instanceof Error ? err.message.replace(/^Invalid regular expression: /, "") : String(err)}`;
  }
  return null;
}

const glob = z.string().superRefine((v, ctx) => {
  const why = globProblem(v);
  if (why) ctx.addIssue({ code: "custom", message: `"${v}" ${why}` });
});

const pattern = z
  .string()
  .max(MAX_RULE_PATTERN, { message: `must be at most ${MAX_RULE_PATTERN} characters` })
  .superRefine((v, ctx) => {
    const why = patternProblem(v);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });

const shortText = (what: string, max = MAX_AGENT_ID) =>
  z
    .string()
    .min(1, { message: `${what} must not be empty` })
    .max(max, { message: `${what} must be at most ${max} characters` });

const count = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int({ message: `${what} must be a whole number` })
    .min(0, { message: `${what} must not be negative` });

export const RuleMatch = z
  .strictObject({
    kind: z.enum(REQUEST_KINDS, { message: `kind must be one of ${REQUEST_KINDS.join(", ")}` }),
    agent_id: shortText("agent_id"),
    /** the name of the API key that submitted the request */
    key: shortText("key"),
    /** a tool call's tool (Bash, Edit, mcp__server__tool …) */
    tool: shortText("tool"),
    /** holds when every file of the diff matches one of them */
    paths: z
      .array(glob)
      .min(1, { message: "paths needs at least one glob" })
      .max(MAX_RULE_GLOBS, { message: `at most ${MAX_RULE_GLOBS} globs` }),
    /** a regular expression tested against a shell tool call's command */
    command: pattern,
    /** a regular expression tested against a question's text */
    question: pattern,
    /** at most this many changed lines (added + removed) in the diff */
    max_lines: count("max_lines"),
    /** at most this many files in the diff */
    max_files: count("max_files"),
  })
  .partial();
export type RuleMatch = z.infer<typeof RuleMatch>;

export const RuleAction = z.union(
  [
    z.literal("auto_approve"),
    z.strictObject({
      auto_deny: shortText("auto_deny's message", MAX_AUTO_DENY_MESSAGE),
    }),
    z.strictObject({
      require_approvals: z
        .number({ message: "require_approvals must be a number" })
        .int({ message: "require_approvals must be a whole number" })
        .min(2, { message: "require_approvals must be at least 2 (one approval is the default)" })
        .max(MAX_REQUIRED_APPROVALS, {
          message: `require_approvals must be at most ${MAX_REQUIRED_APPROVALS}`,
        }),
    }),
    z.strictObject({
      route_to: z
        .array(shortText("route_to entry", 320))
        .min(1, { message: "route_to needs at least one reviewer email" })
        .max(MAX_ROUTE_TO, { message: `route_to takes at most ${MAX_ROUTE_TO} reviewers` }),
    }),
  ],
  {
    message:
      'action must be "auto_approve", {"auto_deny": "message"}, {"require_approvals": N} or {"route_to": ["email", …]}',
  },
);
export type RuleAction = z.infer<typeof RuleAction>;

const seconds = (what: string) =>
  z
    .number({ message: `${what} must be a number of seconds` })
    .int({ message: `${what} must be whole seconds` })
    .min(1, { message: `${what} must be at least 1` })
    .max(MAX_EXPIRES_IN_S, { message: `${what} must be at most ${MAX_EXPIRES_IN_S}` });

/** Match fields that narrow a rule to something specific (on_expiry "approve" needs one). */
const NARROWING = ["agent_id", "key", "tool", "paths", "command", "question"] as const;

export const Rule = z
  .strictObject({
    name: z.string().regex(RULE_NAME_PATTERN, {
      message:
        "name must be 1–80 letters, digits, dots, dashes or underscores, starting with a letter or digit",
    }),
    match: RuleMatch.default({}),
    action: RuleAction,
    expire_after_s: seconds("expire_after_s").optional(),
    on_expiry: z
      .enum(["deny", "approve"], { message: 'on_expiry must be "deny" or "approve"' })
      .optional(),
    escalate_after_s: seconds("escalate_after_s").optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.match.kind && !KINDS[rule.match.kind].quorum && isDecision(rule.action)) {
      ctx.addIssue({
        code: "custom",
        path: ["action"],
        message: "questions are answered, not approved or denied: a rule cannot decide one",
      });
    }
    if (rule.on_expiry && rule.expire_after_s === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["on_expiry"],
        message: "on_expiry needs expire_after_s (when the request expires)",
      });
    }
    if (rule.on_expiry === "approve") {
      if (!NARROWING.some((f) => rule.match[f] !== undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["on_expiry"],
          message: `on_expiry "approve" is for narrow, low-risk rules: match on at least one of ${NARROWING.join(", ")}`,
        });
      }
      if (isDecision(rule.action)) {
        ctx.addIssue({
          code: "custom",
          path: ["on_expiry"],
          message: "on_expiry has no effect on a rule that decides at once",
        });
      }
      if (rule.match.kind && !KINDS[rule.match.kind].quorum) {
        ctx.addIssue({
          code: "custom",
          path: ["on_expiry"],
          message: 'a question cannot be approved: use on_expiry "deny" or leave it out',
        });
      }
    }
  });
export type Rule = z.infer<typeof Rule>;

/** auto_approve and auto_deny decide at creation; the other actions shape the request. */
export function isDecision(action: RuleAction): action is "auto_approve" | { auto_deny: string } {
  return action === "auto_approve" || (typeof action === "object" && "auto_deny" in action);
}

/** The list form `rule export` prints and `rule import` reads: an array of rules, in order. */
export const RuleList = z.array(Rule).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.name))
      ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${r.name}" appears twice` });
    seen.add(r.name);
  });
});

/** One line per problem, each naming its field: `match.paths.0: "[a" is not a valid glob`. */
export function ruleIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => {
    const path = i.path.join(".");
    if (i.code === "unrecognized_keys") {
      return {
        path,
        message: `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}${path ? ` in ${path}` : ""}`,
      };
    }
    return { path, message: i.message };
  });
}

/** Parse a rule, or the problems with it (for the CLI and the Settings form). */
export function parseRule(
  value: unknown,
): { ok: true; rule: Rule } | { ok: false; issues: { path: string; message: string }[] } {
  const r = Rule.safeParse(value);
  return r.success ? { ok: true, rule: r.data } : { ok: false, issues: ruleIssues(r.error) };
}

/** JSON text → a rule, with a clear problem when it is not JSON. */
export function parseRuleJson(text: string): ReturnType<typeof parseRule> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      issues: [
        {
          path: "",
          message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        },
      ],
    };
  }
  return parseRule(value);
}

/** A rule as stored and exported: the fields in a fixed order, absent ones left out. */
export function ruleJson(rule: Rule): Rule {
  const out: Record<string, unknown> = { name: rule.name, match: rule.match, action: rule.action };
  if (rule.expire_after_s !== undefined) out.expire_after_s = rule.expire_after_s;
  if (rule.on_expiry !== undefined) out.on_expiry = rule.on_expiry;
  if (rule.escalate_after_s !== undefined) out.escalate_after_s = rule.escalate_after_s;
  return out as Rule;
}

/** What an action does, in words (lists, dry runs, the review page). */
export function describeAction(action: RuleAction): string {
  if (action === "auto_approve") return "approve at once";
  if ("auto_deny" in action) return `deny at once: “${action.auto_deny}”`;
  if ("require_approvals" in action) return `require ${action.require_approvals} approvals`;
  return `route to ${action.route_to.join(", ")}`;
}
