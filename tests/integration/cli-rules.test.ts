import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDatabase } from "@/db/client";
import { createRequest } from "@/db/queries/request-store";
import { listRules } from "@/db/queries/rules";
import type { DbConfig } from "@/lib/env";
import { dropTestDatabase, freshTestConfig } from "../helpers/db";
import { baseEnv, runScript } from "../helpers/run";

/*
 * `npm run nexus -- rule …` as an operator runs it: separate processes on the test
 * database; bad input is a clear message naming the field and exit code 1.
 */
let config: DbConfig;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  config = freshTestConfig();
  env =
    config.kind === "embedded"
      ? baseEnv({ NEXUS_DATA_DIR: config.dataDir })
      : baseEnv({ DATABASE_URL: config.url });
});
afterAll(async () => {
  await closeDatabase();
  await dropTestDatabase(config);
});

const nexus = (...args: string[]) => runScript("scripts/cli.ts", args, env, 90_000);

async function inDb<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await closeDatabase();
  }
}

const docs = { name: "docs", match: { paths: ["docs/**"] }, action: "auto_approve" };

test("add, list, test (dry run), export, import, remove", async () => {
  await inDb(async () => {
    for (const p of ["docs/a.md", "docs/b.md", "src/c.ts"]) {
      await createRequest("approval", {
        id: crypto.randomUUID(),
        filePath: p,
        diff: `--- a/${p}\n+++ b/${p}\n@@ -1 +1 @@\n-a\n+b\n`,
        description: null,
        agentId: "agent-1",
        timestamp: null,
        expiresInS: null,
        submittedKeyId: null,
      });
    }
  });
  const added = await nexus("rule", "add", "--json", JSON.stringify(docs));
  expect(added.code, added.stderr).toBe(0);
  expect(added.stdout).toContain('created rule "docs": approve at once');
  const deny = { name: "no-rm", match: { command: "\\brm -rf\\b" }, action: { auto_deny: "no" } };
  expect((await nexus("rule", "add", "--json", JSON.stringify(deny), "--position", "1")).code).toBe(
    0,
  );

  const list = await nexus("rule", "list");
  expect(list.stdout).toMatch(
    /1\. no-rm: deny at once[\s\S]*2\. docs: approve at once when paths=\["docs\/\*\*"\]/,
  );

  const dry = await nexus("rule", "test", "docs");
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toContain("would have matched 2 of the 3 requests of the last 30 days");
  expect(dry.stdout).toContain("docs/a.md");
  expect(dry.stdout).not.toContain("src/c.ts");
  const adhoc = await nexus(
    "rule",
    "test",
    "--json",
    JSON.stringify({ ...docs, match: { paths: ["src/**"] } }),
  );
  expect(adhoc.stdout).toContain("would have matched 1 of the 3");

  const exported = await nexus("rule", "export");
  const rules = JSON.parse(exported.stdout);
  expect(rules.map((r: { name: string }) => r.name)).toEqual(["no-rm", "docs"]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rules-")), "rules.json");
  fs.writeFileSync(file, JSON.stringify([rules[1]], null, 2));
  const imported = await nexus("rule", "import", file);
  expect(imported.code, imported.stderr).toBe(0);
  expect(await inDb(async () => (await listRules()).map((r) => r.rule))).toEqual([docs]);

  expect((await nexus("rule", "remove", "docs")).code).toBe(0);
  const again = await nexus("rule", "remove", "docs");
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('no rule named "docs"');
}, 240_000);

test("bad rules are refused with the field named, and nothing is saved", async () => {
  const bad = async (rule: unknown, message: string) => {
    const r = await nexus(
      "rule",
      "add",
      "--json",
      typeof rule === "string" ? rule : JSON.stringify(rule),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  };
  await bad(
    { ...docs, match: { paths: ["docs/[x"] } },
    'match.paths.0: "docs/[x" is not a valid glob',
  );
  await bad(
    { ...docs, match: { command: "(" } },
    "match.command: is not a valid regular expression",
  );
  await bad({ ...docs, colour: 1 }, 'unknown field "colour"');
  await bad("{not json", "not valid JSON");
  // no user can approve in this database: a quorum of 2 could never be met
  await bad({ name: "two", action: { require_approvals: 2 } }, "only 0 active people can approve");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rules-")), "bad.json");
  fs.writeFileSync(file, JSON.stringify([docs, docs]));
  const imported = await nexus("rule", "import", file);
  expect(imported.code).toBe(1);
  expect(imported.stderr).toContain('"docs" appears twice');
  expect(await inDb(listRules)).toEqual([]);
}, 240_000);
