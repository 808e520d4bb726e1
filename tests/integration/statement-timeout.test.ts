import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { withDbDeadline } from "@/db/deadline";
import { isTimeoutError } from "@/db/errors";
import { exportChunks } from "@/db/ops/export";
import { approvalRequests } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { errorResponse } from "@/server/api/errors";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * NEXUS_STATEMENT_TIMEOUT_MS bounds every statement of the pool (PostgreSQL cancels it,
 * 57014); PGlite cannot cancel a statement, so there the callers waiting behind a slow
 * one are bounded instead. A request's deadline (db/deadline.ts) bounds its queries
 * further. Both end as 503 service_unavailable with Retry-After.
 */

const STATEMENT_MS = 400;
let database: Database;

beforeAll(async () => {
  process.env.NEXUS_STATEMENT_TIMEOUT_MS = String(STATEMENT_MS);
  resetEnvCache();
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
  delete process.env.NEXUS_STATEMENT_TIMEOUT_MS;
  resetEnvCache();
});

async function timed(work: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started, err: undefined as unknown };
  } catch (err) {
    return { ms: performance.now() - started, err };
  }
}

async function expect503(err: unknown) {
  const res = errorResponse(err);
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  expect((await res.json()).error.code).toBe("service_unavailable");
}

describe.runIf(testDbKind === "server")("statement timeout on the PostgreSQL server", () => {
  test("a statement running past NEXUS_STATEMENT_TIMEOUT_MS is cancelled by the server (57014 → 503)", async () => {
    const { ms, err } = await timed(() => database.db.execute(sql`SELECT pg_sleep(3)`));
    expect(err).toMatchObject({ cause: { code: "57014" } });
    expect(ms).toBeLessThan(STATEMENT_MS + 800);
    await expect503(err);
    // the connection is fine afterwards
    expect(await database.db.execute(sql`SELECT 1 AS one`)).toBeTruthy();
  });

  test("the CLI export (a cursor read at the file's pace) is exempt from the statement timeout", async () => {
    await database.db.execute(
      sql`INSERT INTO approval_requests (id, file_path, diff, agent_id)
          SELECT gen_random_uuid(), 'f' || g, '+x', 'bulk' FROM generate_series(1, 2500) g`,
    );
    const started = Date.now();
    let rows = 0;
    for await (const chunk of exportChunks({ database, name: "approvals", format: "csv" })) {
      rows += chunk.split("\n").length - 1;
      await new Promise((r) => setTimeout(r, 250)); // a slow disk
    }
    expect(Date.now() - started).toBeGreaterThan(STATEMENT_MS * 2);
    expect(rows).toBeGreaterThanOrEqual(2501); // header + rows
    // and the pooled connections still have their bound
    const { err } = await timed(() => database.db.execute(sql`SELECT pg_sleep(3)`));
    expect(isTimeoutError(err)).toBe(true);
  });

  test("a request's deadline answers before the statement timeout", async () => {
    const { ms, err } = await timed(() =>
      withDbDeadline(150, () => database.db.execute(sql`SELECT pg_sleep(3)`)),
    );
    expect(isTimeoutError(err)).toBe(true);
    expect(ms).toBeLessThan(400);
    await expect503(err);
  });
});

describe.runIf(testDbKind === "embedded")("waits bounded on PGlite", () => {
  test("a query queued behind a long transaction gives up at the deadline (→ 503) and never runs", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = database.db.transaction(async (t) => {
      await t.execute(sql`SELECT 1`);
      await held; // holds PGlite's one connection, as a hung statement would
    });
    const id = "5f0d7a5e-58a4-4c51-9c35-0d5a43b0c2a1";
    const { ms, err } = await timed(() =>
      withDbDeadline(300, () =>
        database.db.insert(approvalRequests).values({
          id,
          filePath: "late.ts",
          diff: "+x\n",
          agentId: "late",
        }),
      ),
    );
    expect(isTimeoutError(err)).toBe(true);
    expect(ms).toBeLessThan(800);
    await expect503(err);
    // without a request deadline: the statement timeout (plus grace) bounds the wait
    const background = await timed(() => database.db.execute(sql`SELECT 1`));
    expect(isTimeoutError(background.err)).toBe(true);
    expect(background.ms).toBeLessThan(STATEMENT_MS + 1500);
    release();
    await tx; // the transaction that had started ran to its end
    // the insert that gave up waiting was skipped, not run late
    const late = await database.db
      .select()
      .from(approvalRequests)
      .where(eq(approvalRequests.id, id));
    expect(late).toEqual([]);
  });
});
