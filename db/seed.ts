import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "./client";
import { approvalRequests, hitlMetrics, questionRequests } from "./schema";
import { EDGE_CASE_IDS, XSS, edgeCaseApprovals } from "./seed-big";
import { demoApprovals, demoQuestions } from "./seed-data";

const MIN = 60_000;

/**
 * Insert the demo set: pending and decided approvals and questions, with one metrics
 * row per decided request. Returns how many rows of each kind it wrote.
 */
export async function seedDemo(db: Db, now = new Date()) {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN);
  let approvals = 0;
  let questions = 0;
  let metrics = 0;
  await db.transaction(async (tx) => {
    for (const [i, a] of demoApprovals.entries()) {
      // every request pending now, plus an older decided copy of each
      await tx
        .insert(approvalRequests)
        .values({ id: randomUUID(), ...a, timestamp: at(3 + i * 7), createdAt: at(3 + i * 7) });
      const id = randomUUID();
      const asked = at(60 * 24 + i * 90);
      const waitedMs = (2 + i * 5) * MIN + i * 13_000;
      const approved = i % 3 !== 1;
      await tx.insert(approvalRequests).values({
        id,
        ...a,
        timestamp: asked,
        createdAt: asked,
        approved,
        approvedAt: new Date(asked.getTime() + waitedMs),
        comment: approved ? null : "Please add a test for the failure path first.",
        decidedBy: "demo-reviewer@example.com",
      });
      await tx.insert(hitlMetrics).values({
        requestType: "approval",
        requestId: id,
        responseTimeMs: waitedMs,
        userId: "demo-reviewer@example.com",
        createdAt: new Date(asked.getTime() + waitedMs),
      });
      approvals += 2;
      metrics++;
    }
    for (const [i, q] of demoQuestions.entries()) {
      await tx
        .insert(questionRequests)
        .values({ id: randomUUID(), ...q, timestamp: at(5 + i * 11), createdAt: at(5 + i * 11) });
      const id = randomUUID();
      const asked = at(60 * 30 + i * 45);
      const waitedMs = (4 + i * 9) * MIN;
      await tx.insert(questionRequests).values({
        id,
        ...q,
        timestamp: asked,
        createdAt: asked,
        response: "Go with the option that adds no new service; revisit at 10x load.",
        responseAt: new Date(asked.getTime() + waitedMs),
        respondedBy: "demo-reviewer@example.com",
      });
      await tx.insert(hitlMetrics).values({
        requestType: "question",
        requestId: id,
        responseTimeMs: waitedMs,
        userId: "demo-reviewer@example.com",
        createdAt: new Date(asked.getTime() + waitedMs),
      });
      questions += 2;
      metrics++;
    }
  });
  return { approvals, questions, metrics };
}

/**
 * NEXUS_SEED_BIG=1: large and hostile requests (fixed ids, see EDGE_CASE_IDS), already
 * decided so they never crowd the inbox. For the review page's tests and for demos.
 */
export async function seedEdgeCases(db: Db) {
  // Long ago, so they sit at the end of the history and outside recent metrics periods.
  const asked = new Date(Date.UTC(2019, 5, 1, 9, 0, 0));
  const decided = new Date(asked.getTime() + 5 * MIN);
  const approvals = edgeCaseApprovals();
  await db.transaction(async (tx) => {
    for (const a of approvals) {
      await tx
        .insert(approvalRequests)
        .values({
          ...a,
          agentId: "edge-case-agent",
          timestamp: asked,
          createdAt: asked,
          approved: true,
          approvedAt: decided,
          comment: XSS.line,
          decidedBy: "seed@example.com",
        })
        .onConflictDoNothing();
      await tx
        .insert(hitlMetrics)
        .values({
          requestType: "approval",
          requestId: a.id,
          responseTimeMs: 5 * MIN,
          userId: "seed@example.com",
          createdAt: decided,
        })
        .onConflictDoNothing();
    }
    await tx
      .insert(questionRequests)
      .values({
        id: EDGE_CASE_IDS.xssQuestion,
        agentId: "edge-case-agent",
        question: XSS.question,
        context: XSS.context,
        timestamp: asked,
        createdAt: asked,
        response: XSS.line,
        responseAt: decided,
        respondedBy: "seed@example.com",
      })
      .onConflictDoNothing();
    await tx
      .insert(hitlMetrics)
      .values({
        requestType: "question",
        requestId: EDGE_CASE_IDS.xssQuestion,
        responseTimeMs: 5 * MIN,
        userId: "seed@example.com",
        createdAt: decided,
      })
      .onConflictDoNothing();
  });
  return { approvals: approvals.length, questions: 1 };
}
