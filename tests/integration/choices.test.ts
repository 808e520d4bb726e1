import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as one from "@/app/api/v1/questions/[id]/route";
import * as response from "@/app/api/v1/questions/[id]/response/route";
import * as questions from "@/app/api/v1/questions/route";
import type { Database } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { listHistory } from "@/db/queries/history";
import { listPending } from "@/db/queries/inbox";
import { questionRequests } from "@/db/schema";
import { openApiDocument } from "@/lib/api/openapi";
import { Question } from "@/lib/api/schemas";
import type { Principal } from "@/lib/auth/principal";
import { decideFromForm } from "@/server/requests/forms";
import { setupTestDatabase, teardownTestDatabase, testDbKind } from "../helpers/db";

/*
 * Multiple-choice questions (issue 12, section 3): options on create, answers by chosen
 * label(s), typed text or both, at both doors (the API's route handlers with real keys,
 * and the dashboard's form work), on a real database.
 */

let database: Database;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await setupTestDatabase();
  for (const [name, role] of [
    ["agent", "agent"],
    ["rev", "reviewer"],
  ] as const) {
    keys[name] = (await createApiKey({ name, role, agentId: null })).key;
  }
});
afterAll(() => teardownTestDatabase(database));

const ana: Principal = {
  kind: "user",
  id: "u1",
  email: "ana@example.com",
  name: "Ana",
  role: "reviewer",
};

type Handler = (request: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, key: string, body?: unknown, id = "") {
  const res = await handler(
    new Request("http://nexus.test/api/v1/questions", {
      method: body === undefined ? "GET" : "POST",
      headers: {
        Authorization: `Bearer ${keys[key]!}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

const paths = (body: { error?: { details?: { path: string }[] } }) =>
  (body.error?.details ?? []).map((d) => d.path);

const OPTIONS = ["Redis", "PostgreSQL", "Memcached"];
const ask = (extra: Record<string, unknown> = {}) =>
  call(questions.POST, "agent", { question: "Which cache?", agent_id: "bot", ...extra });
const answer = (id: string, body: unknown) => call(response.POST, "rev", body, id);

async function newQuestion(extra: Record<string, unknown> = {}) {
  const res = await ask({ options: OPTIONS, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const row = async (id: string) =>
  (await database.db.select().from(questionRequests).where(eq(questionRequests.id, id)))[0]!;

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  }
  return data;
}
const dashboard = (id: string, fields: Record<string, string | string[]>) =>
  decideFromForm("question", ana, form({ id, ...fields }));

describe(`creating a multiple-choice question (${testDbKind})`, () => {
  test("options are stored trimmed, with their defaults, and shown in every output", async () => {
    const res = await ask({ options: ["  Redis ", "PostgreSQL"] });
    expect(res.status).toBe(201);
    expect(Question.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({
      options: ["Redis", "PostgreSQL"],
      multi_select: false,
      allow_text: true,
      selected: null,
      response: null,
    });
    const stored = await row(res.body.id);
    expect([stored.options, stored.multiSelect, stored.allowText]).toEqual([
      ["Redis", "PostgreSQL"],
      false,
      true,
    ]);
    const got = await call(one.GET, "agent", undefined, res.body.id);
    expect(got.body).toMatchObject({ options: ["Redis", "PostgreSQL"], multi_select: false });
    const listed = await call(questions.GET, "agent");
    const item = listed.body.items.find((q: { id: string }) => q.id === res.body.id);
    expect(item).toMatchObject({ options: ["Redis", "PostgreSQL"], allow_text: true });
  });

  test("a question without options: options null, multi_select false, allow_text true", async () => {
    const res = await ask();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      options: null,
      multi_select: false,
      allow_text: true,
      selected: null,
    });
    const stored = await row(res.body.id);
    expect([stored.options, stored.multiSelect, stored.allowText]).toEqual([null, null, null]);
  });

  test("20 options of 200 characters are accepted", async () => {
    const options = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(200, "x"));
    const res = await ask({ options, multi_select: true, allow_text: false });
    expect(res.status).toBe(201);
    expect(res.body.options).toEqual(options);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["one option", { options: ["Only"] }, "options"],
    ["no options", { options: [] }, "options"],
    ["21 options", { options: Array.from({ length: 21 }, (_, i) => `o${i}`) }, "options"],
    ["a repeated label", { options: ["A", "B", "A"] }, "options.2"],
    ["a label repeated after trimming", { options: ["A", " A "] }, "options.1"],
    ["a blank label", { options: ["A", "   "] }, "options.1"],
    ["a label over 200 characters", { options: ["A", "x".repeat(201)] }, "options.1"],
    ["a label with NUL", { options: ["A", "B\u0000"] }, "options.1"],
    ["a lone surrogate", { options: ["A", "\ud800"] }, "options.1"],
    ["a label that is no string", { options: ["A", 2] }, "options.1"],
    ["options that are no array", { options: "A,B" }, "options"],
    ["multi_select without options", { multi_select: true }, "multi_select"],
    ["multi_select false without options", { multi_select: false }, "multi_select"],
    ["allow_text without options", { allow_text: false }, "allow_text"],
    ["multi_select that is no boolean", { options: OPTIONS, multi_select: "yes" }, "multi_select"],
    ["allow_text that is no boolean", { options: OPTIONS, allow_text: 1 }, "allow_text"],
  ];
  test.each(invalid)("400 naming the field: %s", async (_name, extra, path) => {
    const before = await database.db.$count(questionRequests);
    const res = await ask(extra);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(paths(res.body)).toContain(path);
    expect(await database.db.$count(questionRequests)).toBe(before);
  });

  test("a label of exactly 200 characters after trimming is accepted", async () => {
    const res = await ask({ options: ["A", ` ${"y".repeat(200)} `] });
    expect(res.status).toBe(201);
    expect(res.body.options[1]).toBe("y".repeat(200));
  });

  test("idempotent create compares the options and both flags", async () => {
    const id = randomUUID();
    const first = await ask({ id, options: OPTIONS, multi_select: true });
    expect(first.status).toBe(201);
    // the defaults are what is compared: allow_text omitted = true
    expect((await ask({ id, options: OPTIONS, multi_select: true, allow_text: true })).status).toBe(
      200,
    );
    expect(
      (await ask({ id, options: [" Redis", ...OPTIONS.slice(1)], multi_select: true })).status,
    ).toBe(200);
    for (const changed of [
      { options: OPTIONS },
      { options: [...OPTIONS].reverse(), multi_select: true },
      { options: OPTIONS.slice(0, 2), multi_select: true },
      { options: OPTIONS, multi_select: true, allow_text: false },
      {},
    ]) {
      const res = await ask({ id, ...changed });
      expect(res.status, JSON.stringify(changed)).toBe(409);
      expect(paths(res.body)).toEqual(["id"]);
    }
    // and a question without options is not the same as one with
    const plain = randomUUID();
    expect((await ask({ id: plain })).status).toBe(201);
    expect((await ask({ id: plain })).status).toBe(200);
    expect((await ask({ id: plain, options: OPTIONS })).status).toBe(409);
  });
});

describe(`answering through the API (${testDbKind})`, () => {
  test("by a chosen label: selected recorded, response is the label", async () => {
    const id = await newQuestion();
    const res = await answer(id, { selected: [" PostgreSQL "] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: "answered",
      selected: ["PostgreSQL"],
      response: "PostgreSQL",
      responded_by: "key:rev",
    });
    expect(Question.safeParse(res.body).success).toBe(true);
  });

  test("by typed text (allow_text is true by default): selected stays null", async () => {
    const id = await newQuestion();
    const res = await answer(id, { response: "SQLite, actually" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response: "SQLite, actually", selected: null });
  });

  test("by both: the text is the response, the labels are selected", async () => {
    const id = await newQuestion();
    const res = await answer(id, { selected: ["Redis"], response: "with a 60 s TTL" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response: "with a 60 s TTL", selected: ["Redis"] });
  });

  test('multi_select: several labels, joined with ", " in the response (in their order)', async () => {
    const id = await newQuestion({ multi_select: true });
    const res = await answer(id, { selected: ["Memcached", "Redis"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      selected: ["Memcached", "Redis"],
      response: "Memcached, Redis",
    });
    expect((await row(id)).selected).toEqual(["Memcached", "Redis"]);
  });

  test("single choice: two labels are refused", async () => {
    const id = await newQuestion();
    const res = await answer(id, { selected: ["Redis", "PostgreSQL"] });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["selected"]);
    expect((await row(id)).response).toBeNull();
  });

  test("allow_text false: typed text refused, alone or beside a label", async () => {
    const id = await newQuestion({ allow_text: false });
    for (const body of [{ response: "other" }, { response: "other", selected: ["Redis"] }]) {
      const res = await answer(id, body);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(["response"]);
    }
    expect((await row(id)).response).toBeNull();
    expect((await answer(id, { selected: ["Redis"] })).status).toBe(200);
  });

  const invalid: [string, Record<string, unknown>, unknown, string][] = [
    ["an unknown label", {}, { selected: ["Redis", "SQLite"] }, "selected.1"],
    ["an unknown label (single)", {}, { selected: ["SQLite"] }, "selected.0"],
    ["labels are case-sensitive", {}, { selected: ["redis"] }, "selected.0"],
    ["a repeated label", { multi_select: true }, { selected: ["Redis", "Redis"] }, "selected.1"],
    ["a blank label", {}, { selected: [" "] }, "selected.0"],
    ["a label with NUL", {}, { selected: ["Re\u0000dis"] }, "selected.0"],
    ["selected that is no array", {}, { selected: "Redis" }, "selected"],
    ["neither response nor selected", {}, {}, "response"],
    ["an empty selection and no text", {}, { selected: [] }, "response"],
    ["a blank response", {}, { response: "   ", selected: ["Redis"] }, "response"],
    ["an unknown field", {}, { choice: "Redis" }, ""],
  ];
  test.each(invalid)("400: %s", async (_name, create, body, path) => {
    const id = await newQuestion(create);
    const res = await answer(id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    if (path) expect(paths(res.body)).toContain(path);
    expect((await row(id)).response).toBeNull();
  });

  test("a question without options: selected refused, text as before", async () => {
    const res = await ask();
    const id = res.body.id as string;
    const refused = await answer(id, { selected: ["Redis"] });
    expect(refused.status).toBe(400);
    expect(paths(refused.body)).toEqual(["selected"]);
    const ok = await answer(id, { response: "Redis" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ response: "Redis", selected: null });
  });

  test("an unknown question is 404 whatever the selection; a decided one 409 with current", async () => {
    expect((await answer(randomUUID(), { selected: ["Redis"] })).status).toBe(404);
    const id = await newQuestion();
    expect((await answer(id, { selected: ["Redis"] })).status).toBe(200);
    const again = await answer(id, { selected: ["PostgreSQL"] });
    expect(again.status).toBe(409);
    expect(again.body.error.current).toMatchObject({
      selected: ["Redis"],
      options: OPTIONS,
      multi_select: false,
      allow_text: true,
    });
  });
});

describe(`answering in the dashboard: the same rules (${testDbKind})`, () => {
  test("a clicked option (single): recorded like the API's", async () => {
    const id = await newQuestion();
    // the form always posts the (maybe empty) text box beside the clicked option
    const result = await dashboard(id, { selected: "Redis", response: "" });
    expect(result.ok).toBe(true);
    const stored = await row(id);
    expect([stored.selected, stored.response, stored.respondedBy]).toEqual([
      ["Redis"],
      "Redis",
      "ana@example.com",
    ]);
  });

  test("ticked options and typed text (multi)", async () => {
    const id = await newQuestion({ multi_select: true });
    const result = await dashboard(id, { selected: ["Redis", "Memcached"], response: " both " });
    expect(result.ok).toBe(true);
    const stored = await row(id);
    expect([stored.selected, stored.response]).toEqual([["Redis", "Memcached"], "both"]);
  });

  test("refusals at their fields: unknown label, two for one, text when not allowed, nothing", async () => {
    const single = await newQuestion({ allow_text: false });
    let result = await dashboard(single, { selected: "SQLite", response: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.state.errors?.selected).toMatch(/not one of the options/);
    result = await dashboard(single, { selected: ["Redis", "PostgreSQL"], response: "" });
    if (!result.ok) expect(result.state.errors?.selected).toMatch(/Choose one option/);
    result = await dashboard(single, { selected: "Redis", response: "typed" });
    if (!result.ok) expect(result.state.errors?.response).toMatch(/not a typed answer/);
    result = await dashboard(single, { response: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.state.errors?.response).toBeTruthy();
    expect((await row(single)).response).toBeNull();
    expect((await dashboard(single, { selected: "Redis", response: "" })).ok).toBe(true);
  });
});

describe(`where answers show (${testDbKind})`, () => {
  test("the inbox lists a pending question's options; history the chosen labels", async () => {
    const id = await newQuestion({ agent_id: "inbox-bot" });
    const pending = await listPending({ agentId: "inbox-bot" });
    expect(pending.find((p) => p.id === id)?.description).toBe("Redis · PostgreSQL · Memcached");
    await answer(id, { selected: ["Memcached"] });
    const history = await listHistory({ agent: "inbox-bot" });
    const item = history.items.find((h) => h.id === id);
    expect(item).toMatchObject({ chosen: ["Memcached"], detail: "Memcached", outcome: "answered" });
  });

  test("the OpenAPI document describes options, multi_select, allow_text and selected", () => {
    const doc = openApiDocument("http://nexus.test") as unknown as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const { schemas } = doc.components;
    expect(Object.keys(schemas.QuestionCreate!.properties)).toEqual(
      expect.arrayContaining(["options", "multi_select", "allow_text"]),
    );
    expect(Object.keys(schemas.QuestionResponse!.properties)).toEqual(
      expect.arrayContaining(["response", "selected"]),
    );
    expect(Object.keys(schemas.Question!.properties)).toEqual(
      expect.arrayContaining(["options", "multi_select", "allow_text", "selected"]),
    );
  });
});
