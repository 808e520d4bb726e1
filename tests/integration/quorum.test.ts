import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import { EVENTS_CHANNEL } from "@/db/events";
import { createRequest, decideRequest } from "@/db/queries/request-store";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/server/api/errors";
import { decide, submit } from "@/server/requests/service";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const DIFF = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

const reviewer = (email: string): Principal => ({
  kind: "user",
  id: email,
  email,
  name: email,
  role: "reviewer",
});
const agent: Principal = { kind: "user", id: "agent", email: "agent@x", name: "a", role: "admin" };

async function quorumApproval(required: number) {
  const id = randomUUID();
  const out = await createRequest("approval", {
    id,
    filePath: "src/x.ts",
    diff: DIFF,
    description: null,
    agentId: "agent-q",
    timestamp: null,
    expiresInS: null,
    submittedKeyId: null,
    requiredApprovals: required,
  });
  expect(out.kind).toBe("created");
  expect(out.row.requiredApprovals).toBe(required);
  return id;
}

const approve = (id: string, by: string) =>
  decideRequest("approval", { id, decision: { approved: true, comment: null }, decidedBy: by });

async function countOf(table: string, id: string, extra = sql``) {
  const [r] = await rows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE request_id = ${id} ${extra}`,
  );
  return Number(r!.n);
}

async function auditCount(event: string, id: string) {
  const [r] = await rows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM audit_log WHERE event = ${event} AND subject_id = ${id}`,
  );
  return Number(r!.n);
}

describe(`quorum (${testDbKind})`, () => {
  test("a two-approval request stays pending after the first approval and is decided at the second", async () => {
    const id = await quorumApproval(2);
    const first = await approve(id, "ana@example.com");
    expect(first).toMatchObject({ ok: true, final: false });
    expect(first.row).toMatchObject({ approved: null, approvalCount: 1, decidedBy: null });
    expect(first.row!.approvers).toEqual([
      { reviewer: "ana@example.com", at: expect.stringMatching(/Z$/) },
    ]);
    expect(await countOf("hitl_metrics", id)).toBe(0);

    const second = await approve(id, "bo@example.com");
    expect(second).toMatchObject({ ok: true, final: true });
    expect(second.row).toMatchObject({
      approved: true,
      approvalCount: 2,
      decidedBy: "bo@example.com",
    });
    expect(second.row!.approvers!.map((a) => a.reviewer)).toEqual([
      "ana@example.com",
      "bo@example.com",
    ]);
    expect(await countOf("hitl_metrics", id)).toBe(1);
    expect(await countOf("outbox_events", id, sql`AND type = 'request.decided'`)).toBe(1);
    expect(await auditCount("request.approval", id)).toBe(2);
    expect(await auditCount("request.decided", id)).toBe(1);
  });

  test("a reviewer cannot approve twice: the service says so with a 409 and the request stays pending", async () => {
    const id = await quorumApproval(2);
    await decide("approval", reviewer("ana@example.com"), id, { approved: true });
    const again = await decide("approval", reviewer("ana@example.com"), id, {
      approved: true,
    }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect((again as ApiError).message).toBe(
      "You already approved this approval; it needs 1 more approval from other reviewers.",
    );
    expect((again as ApiError).code).toBe("conflict");
    const row = await decide("approval", reviewer("bo@example.com"), id, { approved: true });
    expect(row.approved).toBe(true);
  });

  test("any rejection rejects, even after an approval", async () => {
    const id = await quorumApproval(3);
    await approve(id, "ana@example.com");
    const rejected = await decideRequest("approval", {
      id,
      decision: { approved: false, comment: "no" },
      decidedBy: "bo@example.com",
    });
    expect(rejected).toMatchObject({ ok: true, final: true });
    expect(rejected.row).toMatchObject({ approved: false, decidedBy: "bo@example.com" });
    expect(await countOf("hitl_metrics", id)).toBe(1);
    const late = await approve(id, "cy@example.com");
    expect(late).toMatchObject({ ok: false, reason: "already_decided" });
  });

  test.each([2, 20])(
    "20 racing reviewers on a %i-approval request: exactly one final decision, one hitl_metrics row, one decided event",
    async (required) => {
      const id = await quorumApproval(required);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => approve(id, `r${i}@example.com`)),
      );
      const finals = results.filter((r) => r.ok && r.final);
      const partials = results.filter((r) => r.ok && !r.final);
      const late = results.filter((r) => !r.ok);
      expect(finals).toHaveLength(1);
      expect(partials).toHaveLength(required - 1);
      expect(late).toHaveLength(20 - required);
      for (const r of late) expect(r).toMatchObject({ ok: false, reason: "already_decided" });
      expect(await countOf("hitl_metrics", id)).toBe(1);
      expect(await countOf("request_approvals", id)).toBe(required);
      expect(await countOf("outbox_events", id, sql`AND type = 'request.decided'`)).toBe(1);
      expect(await auditCount("request.decided", id)).toBe(1);
      expect(await auditCount("request.approval", id)).toBe(required);
      const [row] = await rows<{ approved: boolean; approval_count: number; decided_by: string }>(
        database.db,
        sql`SELECT approved, approval_count, decided_by FROM approval_requests WHERE id = ${id}`,
      );
      expect(row).toMatchObject({ approved: true, approval_count: required });
      expect(finals[0]!.row!.decidedBy).toBe(row!.decided_by);
    },
  );

  test("a one-approval request is decided by its first approval, as before", async () => {
    const id = await quorumApproval(1);
    expect(await approve(id, "ana@example.com")).toMatchObject({ ok: true, final: true });
    expect(await countOf("request_approvals", id)).toBe(0);
  });

  test("submit takes required_approvals from the body, a rule's value raises it, questions ignore it", async () => {
    const { row } = await submit("approval", agent, {
      file_path: "a",
      diff: DIFF,
      agent_id: "agent-q",
      required_approvals: 2,
    });
    expect(row.requiredApprovals).toBe(2);
    const raised = await submit(
      "tool_call",
      agent,
      { tool_name: "Bash", tool_input: { command: "ls" }, agent_id: "agent-q" },
      { requiredApprovals: 3 },
    );
    expect(raised.row.requiredApprovals).toBe(3);
    const bad = await submit("approval", agent, {
      file_path: "a",
      diff: DIFF,
      agent_id: "agent-q",
      required_approvals: 0,
    }).catch((e: unknown) => e);
    expect((bad as ApiError).details?.[0]).toMatchObject({ path: "required_approvals" });
    const q = await submit(
      "question",
      agent,
      { question: "?", agent_id: "a" },
      { requiredApprovals: 2 },
    );
    expect(q.row.requiredApprovals).toBe(1);
  });

  test("each approval but the last NOTIFYs request.approval (open pages refresh; long polls keep waiting)", async () => {
    const id = await quorumApproval(2);
    const received: { type: string; id: string }[] = [];
    const unlisten = await database.listen(EVENTS_CHANNEL, (p) => {
      const e = JSON.parse(p) as { type: string; id: string };
      if (e.id === id) received.push(e);
    });
    try {
      await approve(id, "ana@example.com");
      await approve(id, "bo@example.com");
      // delivery is asynchronous: wait (bounded) for both, then check their order
      for (let i = 0; i < 100 && received.length < 2; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(received).toEqual([
        { type: "request.approval", request_type: "approval", id, agent_id: "agent-q" },
        { type: "request.decided", request_type: "approval", id, agent_id: "agent-q" },
      ]);
    } finally {
      await unlisten();
    }
  });
});
