import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { approvalRequests } from "@/db/schema";
import { log, loggerOptions, statementName } from "@/lib/log";
import { errorResponse } from "@/server/api/errors";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Database errors in logs: the statement's name and the SQLSTATE, never a parameter
 * (drizzle's message is "Failed query: … params: …"; PostgreSQL's own message and
 * detail may quote a value).
 */

const SECRET = "sk-live-DO-NOT-LOG-7f3a9c";
let database: Database;
let text: string;
const g = globalThis as unknown as { __nexusLog?: pino.Logger };
let saved: pino.Logger | undefined;

beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));
beforeEach(() => {
  text = "";
  saved = g.__nexusLog;
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  g.__nexusLog = pino(loggerOptions("debug"), sink);
});
afterEach(() => {
  g.__nexusLog = saved;
});

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error("expected the statement to fail");
}

const row = (id: string) => ({
  id,
  filePath: "src/secret.ts",
  diff: `+const key = "${SECRET}";\n`,
  description: `rotate ${SECRET}`,
  agentId: "leaky-agent",
});

describe(`database errors in logs (${testDbKind})`, () => {
  test("a failing insert logs its statement name and SQLSTATE, never its parameters", async () => {
    const id = randomUUID();
    await database.db.insert(approvalRequests).values(row(id));
    const err = await failure(() => database.db.insert(approvalRequests).values(row(id)));
    expect(String((err as Error).message)).toContain(SECRET); // the raw error carries it
    const res = errorResponse(err, "req-1"); // the API's path: logs, answers 500
    expect(res.status).toBe(500);
    log().error({ err }, "direct");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("leaky-agent");
    const entry = JSON.parse(text.split("\n")[0]!);
    expect(entry.err).toMatchObject({ statement: "insert into approval_requests", code: "23505" });
  });

  test("a value quoted in PostgreSQL's own message is not logged either", async () => {
    const err = await failure(() => database.db.execute(sql`SELECT ${SECRET}::uuid`));
    log().error({ err }, "bad uuid");
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text).err).toMatchObject({ code: "22P02" });
  });

  test("statement names", () => {
    expect(statementName('insert into "approval_requests" ("id") values ($1)')).toBe(
      "insert into approval_requests",
    );
    expect(statementName('update "users" set "role" = $1')).toBe("update users");
    expect(statementName('DELETE FROM "sessions" WHERE true')).toBe("delete from sessions");
    expect(statementName('select "id" from "api_keys" where "id" = $1')).toBe(
      "select from api_keys",
    );
    expect(statementName("SELECT 1")).toBe("select");
  });
});
