import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase, rows, type Database } from "@/db/client";
import { takeBackup } from "@/db/ops/backup";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { exportAudit, listAudit, sealAll, verifyAudit } from "@/db/queries/audit";
import { setEmailPreference } from "@/db/queries/email";
import { clearEscalation, setEscalation } from "@/db/queries/escalation";
import { createRequest, decideRequest } from "@/db/queries/request-store";
import { setUserDisabled, updateUserRole } from "@/db/queries/users";
import { createWebhook, enableWebhook, removeWebhook } from "@/db/queries/webhooks";
import { entryHash, GENESIS_HASH } from "@/lib/audit/chain";
import { createUser } from "@/server/auth/users";
import { dropTestDatabase, freshTestConfig, testDbKind } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";
import type { DbConfig } from "@/lib/env";

/*
 * The audit log on a real database: what is recorded, the append-only triggers, the
 * chain (seal, verify, export), tampering as a superuser with the triggers off, and the
 * CLI (`npm run nexus -- audit verify|export`) as an operator runs it.
 */

let config: DbConfig;
let database: Database;
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "nexus-audit-backups-"));

beforeAll(async () => {
  config = freshTestConfig();
  process.env.NEXUS_BACKUP_DIR = backupDir;
  database = await getDatabase();
});
afterAll(async () => {
  await closeDatabase();
  await dropTestDatabase(config);
  fs.rmSync(backupDir, { recursive: true, force: true });
});

const DIFF = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

type Entry = { id: number; event: string; actor: string | null; subject_id: string | null };
const entries = async () =>
  rows<Entry>(
    database.db,
    sql`SELECT id::int AS id, event, actor, subject_id FROM audit_log ORDER BY id`,
  );

/** As a superuser with the triggers off, as someone tampering with psql would. */
const tamper = (statement: ReturnType<typeof sql>) =>
  database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(statement);
  });

describe(`audit log (${testDbKind})`, () => {
  test("every security-relevant change records one entry with who did it", async () => {
    const user = await createUser(
      { email: "rita@example.com", password: "correct horse battery", role: "reviewer" },
      "admin@example.com",
    );
    await updateUserRole(user.id, "viewer", "admin@example.com");
    await setUserDisabled(user.id, true, undefined, "admin@example.com");
    await setUserDisabled(user.id, false, undefined, "cli");
    await createApiKey({ name: "agent-1", role: "agent", createdBy: "admin@example.com" });
    await revokeApiKey("agent-1", "admin@example.com");
    const hook = await createWebhook({
      url: "http://127.0.0.1:9/h",
      format: "standard",
      events: ["request.created"],
      agentId: null,
      kind: null,
      secret: "whsec_x",
      createdBy: "admin@example.com",
    });
    await enableWebhook(hook.id, "admin@example.com");
    await removeWebhook(hook.id, "admin@example.com");
    await setEscalation(null, 15, "admin@example.com");
    await clearEscalation(null, "admin@example.com");
    await setEmailPreference(user.id, { mode: "each", digestMinutes: 15 }, "rita@example.com");
    const id = randomUUID();
    await createRequest("approval", {
      id,
      filePath: "a",
      diff: DIFF,
      description: null,
      agentId: "agent-a",
      timestamp: null,
      expiresInS: null,
      submittedKeyId: null,
      requiredApprovals: 2,
    });
    await decideRequest("approval", {
      id,
      decision: { approved: true, comment: null },
      decidedBy: "ana@example.com",
    });
    await decideRequest("approval", {
      id,
      decision: { approved: true, comment: null },
      decidedBy: "bo@example.com",
    });
    await takeBackup({ database, kind: "hourly", actor: "cli" });

    const got = (await entries()).map((e) => [e.event, e.actor, e.subject_id]);
    expect(got).toEqual([
      ["user.created", "admin@example.com", "rita@example.com"],
      ["user.role_changed", "admin@example.com", "rita@example.com"],
      ["user.disabled", "admin@example.com", "rita@example.com"],
      ["user.enabled", "cli", "rita@example.com"],
      ["key.created", "admin@example.com", "agent-1"],
      ["key.revoked", "admin@example.com", "agent-1"],
      ["settings.webhook_added", "admin@example.com", hook.id],
      ["settings.webhook_enabled", "admin@example.com", hook.id],
      ["settings.webhook_removed", "admin@example.com", hook.id],
      ["settings.escalation_set", "admin@example.com", "global"],
      ["settings.escalation_cleared", "admin@example.com", "global"],
      ["settings.email_preferences", "rita@example.com", "rita@example.com"],
      ["request.created", null, id],
      ["request.approval", "ana@example.com", id],
      ["request.approval", "bo@example.com", id],
      ["request.decided", "bo@example.com", id],
      ["backup.taken", "cli", expect.stringMatching(/^hourly\/backup_/)],
    ]);
    const page = await listAudit({ subjectId: id, limit: 10 });
    expect(page.rows.map((r) => r.event)).toEqual([
      "request.decided",
      "request.approval",
      "request.approval",
      "request.created",
    ]);
    expect(page.rows[0]!.details).toMatchObject({
      status: "approved",
      approvals: 2,
      required_approvals: 2,
    });
    const byActor = await listAudit({ actor: "cli", event: "user.enabled", limit: 10 });
    expect(byActor.rows).toHaveLength(1);
  });

  test("the app cannot update, delete or truncate audit rows: the triggers refuse", async () => {
    await sealAll();
    for (const statement of [
      sql`UPDATE audit_log SET actor = 'x'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
      sql`UPDATE audit_chain SET hash = 'x'`,
      sql`DELETE FROM audit_chain`,
      sql`TRUNCATE audit_chain`,
    ]) {
      const err = await database.db.execute(statement).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, String(statement.queryChunks[0])).not.toBeNull();
      expect(`${err!.message} ${(err as { cause?: Error }).cause?.message ?? ""}`).toMatch(
        /is append-only: (UPDATE|DELETE|TRUNCATE) refused/,
      );
    }
  });

  test("an untouched log verifies; the export carries the chain, which recomputes", async () => {
    const result = await verifyAudit();
    const total = (await entries()).length;
    expect(result).toEqual({ checked: total, broken: null, unsealed: 0 });
    const lines = [];
    for await (const line of exportAudit()) lines.push(line);
    expect(lines).toHaveLength(total);
    let prev = GENESIS_HASH;
    for (const l of lines) {
      expect(l.prev_hash).toBe(prev);
      const content = {
        id: l.id!,
        at: l.at!,
        event: l.event!,
        actor: l.actor ?? null,
        subjectType: l.subject_type ?? null,
        subjectId: l.subject_id ?? null,
        details: l.details ?? null,
      };
      expect(entryHash(content, l.seq!, prev)).toBe(l.hash);
      expect(l.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      prev = l.hash!;
    }
  });

  test("changing one row breaks the chain at that row; changing it back mends it", async () => {
    const [, , third] = await entries();
    await tamper(sql`UPDATE audit_log SET actor = 'mallory@example.com' WHERE id = ${third!.id}`);
    const broken = await verifyAudit();
    expect(broken.broken).toMatchObject({
      entryId: third!.id,
      reason: expect.stringContaining("does not match its hash"),
    });
    expect(broken.checked).toBe(2);
    await tamper(sql`UPDATE audit_log SET actor = ${third!.actor} WHERE id = ${third!.id}`);
    expect((await verifyAudit()).broken).toBeNull();
  });

  test("a one-microsecond change of the time is caught too", async () => {
    const [first] = await entries();
    await tamper(
      sql`UPDATE audit_log SET at = at + interval '1 microsecond' WHERE id = ${first!.id}`,
    );
    expect((await verifyAudit()).broken).toMatchObject({ entryId: first!.id, seq: 1 });
    await tamper(
      sql`UPDATE audit_log SET at = at - interval '1 microsecond' WHERE id = ${first!.id}`,
    );
    expect((await verifyAudit()).broken).toBeNull();
  });

  test("deleting a row, or its link, breaks the chain naming it", async () => {
    const all = await entries();
    const victim = all[5]!;
    const [saved] = await rows<Record<string, unknown>>(
      database.db,
      sql`SELECT * FROM audit_log WHERE id = ${victim.id}`,
    );
    await tamper(sql`DELETE FROM audit_log WHERE id = ${victim.id}`);
    expect((await verifyAudit()).broken).toMatchObject({
      entryId: victim.id,
      reason: "the entry was deleted",
    });
    // put it back exactly: the chain verifies again
    await tamper(
      sql`INSERT INTO audit_log (id, at, event, actor, subject_type, subject_id, details) OVERRIDING SYSTEM VALUE
          VALUES (${victim.id}, ${saved!.at as Date}, ${victim.event}, ${victim.actor}, ${saved!.subject_type as string}, ${victim.subject_id}, ${JSON.stringify(saved!.details)}::jsonb)`,
    );
    expect((await verifyAudit()).broken).toBeNull();

    const [link] = await rows<{ seq: number }>(
      database.db,
      sql`SELECT seq::int AS seq FROM audit_chain WHERE entry_id = ${all[8]!.id}`,
    );
    await tamper(sql`DELETE FROM audit_chain WHERE seq = ${link!.seq}`);
    const gap = await verifyAudit();
    expect(gap.broken).toMatchObject({ seq: link!.seq + 1, entryId: all[9]!.id });
    expect(gap.broken!.reason).toContain(`chain position ${link!.seq} is missing`);
  });
});

describe(`npm run nexus -- audit (${testDbKind})`, () => {
  test("verify passes on an intact log, fails naming the changed row; export writes JSON Lines", async () => {
    // a fresh database of its own: the one above was left broken on purpose
    await closeDatabase();
    const cliConfig = freshTestConfig();
    const env =
      cliConfig.kind === "embedded"
        ? baseEnv({ NEXUS_DATA_DIR: cliConfig.dataDir })
        : baseEnv({ DATABASE_URL: cliConfig.url });
    const nexus = (...args: string[]) => runScript("scripts/cli.ts", args, env, 90_000);
    try {
      expect((await nexus("key", "create", "--name", "k1", "--role", "agent")).code).toBe(0);
      expect((await nexus("key", "revoke", "--name", "k1")).code).toBe(0);
      const ok = await nexus("audit", "verify");
      expect(ok.stderr).toBe("");
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toContain("audit log verified: 2 entries checked, chain intact");

      const out = path.join(os.tmpdir(), `nexus-audit-${randomUUID()}.jsonl`);
      const exported = await nexus("audit", "export", "--out", out);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = fs
        .readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      fs.rmSync(out);
      expect(lines.map((l) => [l.seq, l.event, l.actor])).toEqual([
        [1, "key.created", "cli"],
        [2, "key.revoked", "cli"],
      ]);
      expect(lines[1].prev_hash).toBe(lines[0].hash);

      const change = `BEGIN; SET LOCAL session_replication_role = replica; UPDATE audit_log SET actor = 'someone-else' WHERE id = ${lines[1].id}; COMMIT;`;
      if (cliConfig.kind === "server") {
        // psql itself, as an operator (or an intruder) with superuser rights would
        const r = spawnSync("psql", [cliConfig.url, "-X", "-v", "ON_ERROR_STOP=1", "-c", change], {
          encoding: "utf8",
        });
        expect(r.status, r.stderr).toBe(0);
      } else {
        // the embedded folder, opened by this process (psql needs a running server's
        // socket: tests/integration/ops-running-server.test.ts does that)
        database = await getDatabase();
        await tamper(sql`UPDATE audit_log SET actor = 'someone-else' WHERE id = ${lines[1].id}`);
        await closeDatabase();
      }
      const bad = await nexus("audit", "verify");
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`audit log BROKEN at entry ${lines[1].id} (chain position 2)`);
      expect(bad.stderr).not.toContain("    at "); // one line, no stack trace
    } finally {
      await closeDatabase();
      await dropTestDatabase(cliConfig);
    }
  }, 300_000);
});
