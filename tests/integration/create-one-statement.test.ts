import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { EVENTS_CHANNEL } from "@/db/events";
import { createApiKey } from "@/db/queries/api-keys";
import {
  createRequest,
  getRequest,
  type NewRequest,
  type RuleEffect,
} from "@/db/queries/request-store";
import type { RequestKind } from "@/lib/domain/kinds";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * A new request is written in one statement (createAtOnce in db/queries/request-store.ts)
 * unless it needs the transaction (an approval revising another). The one statement must
 * write exactly what the transaction writes: the row, the live NOTIFY, the outbox events,
 * the audit entries and, for a rule's decision, the hitl_metrics row. Each case is created
 * both ways and everything it wrote is compared, ids and clock times aside.
 */

let database: Database;
let keyId: string;
const heard: string[] = [];
let unlisten: () => Promise<void>;

beforeAll(async () => {
  database = await setupTestDatabase();
  keyId = (await createApiKey({ name: "one-statement-bot", role: "agent" })).row.id;
  unlisten = await database.listen(EVENTS_CHANNEL, (p) => heard.push(p));
});
afterAll(async () => {
  await unlisten?.();
  await teardownTestDatabase(database);
});

/** stands for the test's API key in a case (its id exists only once beforeAll ran) */
const KEY = "KEY";
const DIFF = "--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-a\n+b\n";

function rule<K extends RequestKind>(decision: RuleEffect<K>["decision"]): RuleEffect<K> {
  return { name: "r1", decision, routedTo: null, onExpiry: null, escalateAfterS: 600 };
}

type Case<K extends RequestKind> = {
  name: string;
  kind: K;
  input: Omit<NewRequest<K>, "id">;
};

const base = { agentId: "agent-1", timestamp: null, expiresInS: 300, submittedKeyId: null };
const toolCall = {
  toolName: "Bash",
  toolInput: { command: "npm test", description: "Run the tests" },
  title: "npm test",
  filePath: null,
  diff: null,
  diffExact: false,
  description: "Run the tests",
  sessionId: "s1",
  cwd: "/tmp/project",
  hookEvent: "PreToolUse",
  toolUseId: "toolu_1",
  onTimeout: "deny" as const,
  permissionSuggestions: null,
};

type AnyCase = { [K in RequestKind]: Case<K> }[RequestKind];

const cases = (): AnyCase[] => [
  {
    name: "an approval through a key, pending",
    kind: "approval",
    input: { ...base, submittedKeyId: KEY, filePath: "src/x.ts", diff: DIFF, description: "d" },
  },
  {
    name: "an approval with its own timestamp, no expiry, a quorum",
    kind: "approval",
    input: {
      ...base,
      timestamp: new Date("2026-11-30T10:00:00.123Z"),
      expiresInS: null,
      filePath: "src/x.ts",
      diff: DIFF,
      description: null,
      requiredApprovals: 2,
    },
  },
  {
    name: "an approval a rule approved",
    kind: "approval",
    input: {
      ...base,
      filePath: "src/y.ts",
      diff: DIFF,
      description: null,
      rule: rule<"approval">({ approved: true, comment: "docs only", hunks: null }),
    },
  },
  {
    name: "a multiple-choice question",
    kind: "question",
    input: {
      ...base,
      submittedKeyId: KEY,
      question: "Ship it?",
      context: { pr: 7 },
      options: ["yes", "no"],
      multiSelect: false,
      allowText: true,
    },
  },
  {
    name: "a tool call a rule allowed",
    kind: "tool_call",
    input: {
      ...base,
      submittedKeyId: KEY,
      ...toolCall,
      rule: rule<"tool_call">({ approved: true, comment: null, hunks: null, updatedInput: null }),
    },
  },
  {
    name: "a tool call a rule denied, with a message",
    kind: "tool_call",
    input: {
      ...base,
      ...toolCall,
      rule: rule<"tool_call">({ approved: false, comment: "never on main", hunks: null }),
    },
  },
  {
    name: "a pending tool call",
    kind: "tool_call",
    input: { ...base, ...toolCall, toolUseId: "toolu_2" },
  },
];

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;

/** Everything the request wrote, with its id and the clock's times replaced. */
async function written(kind: RequestKind, id: string) {
  const db = database.db;
  const q = (s: ReturnType<typeof sql>) => rows<Record<string, unknown>>(db, s);
  const row = await getRequest(kind, id);
  const outbox = await q(
    sql`SELECT type, request_type, agent_id, payload FROM outbox_events WHERE request_id = ${id} ORDER BY type`,
  );
  const audit = await q(
    sql`SELECT event, actor, subject_type, details FROM audit_log WHERE subject_id = ${id} ORDER BY id`,
  );
  const metrics = await q(
    sql`SELECT request_type, response_time_ms, user_id, automatic, hunks_accepted, hunks_total FROM hitl_metrics WHERE request_id = ${id}`,
  );
  // NOTIFY is delivered at commit, to another connection: wait until it is here
  for (let i = 0; i < 100 && !heard.some((p) => p.includes(id)); i++)
    await new Promise((r) => setTimeout(r, 20));
  const live = heard
    .filter((p) => p.includes(id))
    .map((p) => JSON.parse(p) as Record<string, unknown>)
    .map((e) => Object.fromEntries(Object.entries(e).sort(([a], [b]) => a.localeCompare(b))));
  const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
  const all = {
    row: { ...row, id: "ID" },
    outbox: outbox.map((e) => ({ ...e, payload: parse(e.payload) })),
    audit: audit.map((e) => ({ ...e, details: parse(e.details) })),
    metrics,
    live,
  };
  return JSON.parse(JSON.stringify(all).replaceAll(id, "ID").replace(TIME, "TIME"));
}

describe("one statement writes what the transaction writes", () => {
  for (const c of cases()) {
    test(c.name, async () => {
      const input = { ...c.input, submittedKeyId: c.input.submittedKeyId === KEY ? keyId : null };
      const atOnce = randomUUID();
      const inTx = randomUUID();
      const a = await createRequest(c.kind, { ...input, id: atOnce } as NewRequest<RequestKind>);
      const b = await createRequest(c.kind, { ...input, id: inTx } as NewRequest<RequestKind>, {
        oneStatement: false,
      });
      expect(a.kind).toBe("created");
      expect(b.kind).toBe("created");
      // the returned rows too
      expect(JSON.stringify({ ...a.row, id: "ID" }).replace(TIME, "TIME")).toBe(
        JSON.stringify({ ...b.row, id: "ID" }).replace(TIME, "TIME"),
      );
      const one = await written(c.kind, atOnce);
      const two = await written(c.kind, inTx);
      expect(one).toEqual(two);
      // something was compared: the created event everywhere, the decision where a rule decided
      expect(one.outbox.length).toBe(c.input.rule?.decision ? 2 : 1);
      expect(one.audit.length).toBe(c.input.rule?.decision ? 2 : 1);
      expect(one.metrics.length).toBe(c.input.rule?.decision ? 1 : 0);
      expect(one.live.length).toBe(c.input.rule?.decision ? 2 : 1);
      expect(one.audit[0].actor).toBe(input.submittedKeyId ? "key:one-statement-bot" : null);
      expect(one.row.submittedKeyName).toBe(input.submittedKeyId ? "one-statement-bot" : null);
      // the database's times in the events are the row's own
      const payload = (
        await rows<{ payload: unknown; created_at: string; expires_at: string | null }>(
          database.db,
          sql`SELECT o.payload, to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, to_char(r.expires_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_at FROM outbox_events o JOIN ${sql.identifier(`${c.kind}_requests`)} r ON r.id = o.request_id WHERE o.request_id = ${atOnce} AND o.type = 'request.created'`,
        )
      )[0]!;
      const p = (
        typeof payload.payload === "string" ? JSON.parse(payload.payload) : payload.payload
      ) as { created_at: string; expires_at: string | null };
      expect(p.created_at).toBe(payload.created_at);
      expect(p.expires_at).toBe(payload.expires_at);
      expect(a.row.createdAt?.toISOString()).toBe(payload.created_at);
    });
  }

  test("an existing id is found, not written twice (an identical retry)", async () => {
    const id = randomUUID();
    const input = { ...cases()[0]!.input, id, submittedKeyId: keyId } as NewRequest<"approval">;
    expect((await createRequest("approval", input)).kind).toBe("created");
    const again = await createRequest("approval", input);
    expect(again.kind).toBe("identical");
    const other = await createRequest("approval", { ...input, diff: DIFF + " \n" });
    expect(other.kind).toBe("different");
    const [n] = await rows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM outbox_events WHERE request_id = ${id}`,
    );
    expect(Number(n!.n)).toBe(1);
  });
});
