import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { countPending, inboxSnapshot, listKnownAgents, listPending } from "@/db/queries/inbox";
import { approvalRequests, questionRequests } from "@/db/schema";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

let database: Database;
const MIN = 60_000;
const now = Date.now();

beforeAll(async () => {
  database = await setupTestDatabase();
  const db = database.db;
  const a = (minutesAgo: number, extra: Partial<typeof approvalRequests.$inferInsert> = {}) =>
    db.insert(approvalRequests).values({
      id: randomUUID(),
      filePath: `a-${minutesAgo}.ts`,
      diff: "x",
      description: `desc ${minutesAgo}`,
      agentId: "zeta",
      timestamp: new Date(now - minutesAgo * MIN),
      ...extra,
    });
  const q = (minutesAgo: number, extra: Partial<typeof questionRequests.$inferInsert> = {}) =>
    db.insert(questionRequests).values({
      id: randomUUID(),
      question: `q-${minutesAgo}?`,
      agentId: "alpha",
      timestamp: new Date(now - minutesAgo * MIN),
      ...extra,
    });
  await a(30);
  await a(10, { expiresAt: new Date(now + 12 * MIN) });
  await q(20);
  await q(5);
  // not pending: decided, answered, expired
  await a(40, { approved: true, approvedAt: new Date(now - 39 * MIN), agentId: "omega" });
  await a(50, { expiresAt: new Date(now - MIN) });
  await q(60, { response: "yes", responseAt: new Date(now - 59 * MIN) });
  await q(70, { expiresAt: new Date(now - 2 * MIN) });
});
afterAll(() => teardownTestDatabase(database));

describe(`inbox queries (${testDbKind})`, () => {
  test("pending approvals and questions together, oldest first, nothing decided or expired", async () => {
    const items = await listPending();
    expect(items.map((i) => i.title)).toEqual(["a-30.ts", "q-20?", "a-10.ts", "q-5?"]);
    const a10 = items.find((i) => i.title === "a-10.ts")!;
    expect(a10).toMatchObject({ type: "approval", agentId: "zeta", description: "desc 10" });
    expect(a10.expiresAt!.getTime()).toBeCloseTo(now + 12 * MIN, -3);
    expect(a10.waitingMs).toBeGreaterThan(10 * MIN - 5000);
    expect(items.find((i) => i.type === "question")!.description).toBeNull();
  });

  test("newest first, by agent, and filters by type and agent", async () => {
    expect((await listPending({ order: "newest" })).map((i) => i.title)).toEqual([
      "q-5?",
      "a-10.ts",
      "q-20?",
      "a-30.ts",
    ]);
    expect((await listPending({ order: "agent" })).map((i) => i.title)).toEqual([
      "q-20?",
      "q-5?",
      "a-30.ts",
      "a-10.ts",
    ]);
    expect((await listPending({ type: "question" })).map((i) => i.title)).toEqual([
      "q-20?",
      "q-5?",
    ]);
    expect((await listPending({ agentId: "zeta" })).map((i) => i.title)).toEqual([
      "a-30.ts",
      "a-10.ts",
    ]);
    expect(await listPending({ agentId: "nobody" })).toEqual([]);
  });

  test("counts and the snapshot agree with the list, and carry the database clock", async () => {
    expect(await countPending()).toEqual({ approval: 2, question: 2, tool_call: 0, total: 4 });
    const snap = await inboxSnapshot({ type: "approval" });
    expect(snap.items).toHaveLength(2);
    expect(snap.counts.total).toBe(4);
    expect(Math.abs(snap.now.getTime() - Date.now())).toBeLessThan(5000);
  });

  test("known agents span both tables and every state, alphabetically", async () => {
    expect(await listKnownAgents()).toEqual(["alpha", "omega", "zeta"]);
  });
});
