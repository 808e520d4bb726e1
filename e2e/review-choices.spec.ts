import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Multiple-choice questions in the browser: options as buttons (single choice: a click
 * or its number key answers), ticks and Send (several), no text box when the agent
 * forbids typed answers; what the agent then reads. Admin: it creates the agent key it
 * asks with, and may answer (a person may answer what a key asked).
 */
test.use({ role: "admin" });

let agentKey = "";

async function ask(request: APIRequestContext, body: Record<string, unknown>) {
  const res = await request.post("/api/v1/questions", {
    headers: { Authorization: `Bearer ${agentKey}` },
    data: { agent_id: "choices-e2e", ...body },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function read(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/v1/questions/${id}`, {
    headers: { Authorization: `Bearer ${agentKey}` },
  });
  return (await res.json()) as { status: string; response: string; selected: string[] | null };
}

async function answered(page: Page) {
  await expect(page.getByRole("main").getByRole("status")).toContainText("Answer sent.");
}

test.beforeEach(async ({ page }) => {
  if (!agentKey) agentKey = (await createApiKeyInUi(page, "agent")).key;
});

test("single choice: clicking an option answers at once, and the agent reads its label", async ({
  page,
  request,
}) => {
  const id = await ask(request, {
    question: "Which cache should I use?",
    options: ["Redis", "PostgreSQL", "Memcached"],
  });
  await page.goto(`/questions/${id}`);
  const group = page.getByRole("group", { name: "Choose one" });
  await expect(group.getByRole("button")).toHaveText(["1Redis", "2PostgreSQL", "3Memcached"]);
  await expect(page.getByLabel("Or type an answer")).toBeVisible();
  await group.getByRole("button", { name: "PostgreSQL" }).click();
  await answered(page);
  expect(await read(request, id)).toMatchObject({
    status: "answered",
    selected: ["PostgreSQL"],
    response: "PostgreSQL",
  });
  await page.goto(`/questions/${id}`);
  await expect(page.getByRole("heading", { name: /^Answered by / })).toBeVisible();
  await expect(page.getByRole("list", { name: "Chosen" })).toHaveText("PostgreSQL");
});

test("a number key picks the Nth option; the ? dialog lists the keys; no text box when forbidden", async ({
  page,
  request,
}) => {
  const id = await ask(request, {
    question: "Deploy now?",
    options: ["Yes", "No", "Wait an hour"],
    allow_text: false,
  });
  await page.goto(`/questions/${id}`);
  await expect(page.getByRole("group", { name: "Choose one" })).toBeVisible();
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Send answer" })).toHaveCount(0);
  // the site's ? dialog documents the number keys; the form's own list names each option
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Choose option 1–9");
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await page.getByRole("button", { name: "Keyboard shortcuts ?", exact: true }).click();
  await expect(help).toContainText("3Answer “Wait an hour”");
  await help.getByRole("button", { name: "Close" }).click();
  await page.keyboard.press("3");
  await answered(page);
  expect(await read(request, id)).toMatchObject({
    selected: ["Wait an hour"],
    response: "Wait an hour",
  });
});

test("several: tick by click and by key, add a note, Send answer", async ({ page, request }) => {
  const id = await ask(request, {
    question: "Which checks should run?",
    options: ["lint", "unit", "e2e", "bench"],
    multi_select: true,
  });
  await page.goto(`/questions/${id}`);
  const group = page.getByRole("group", { name: "Choose one or more" });
  await group.getByRole("checkbox", { name: "lint" }).check();
  await page.keyboard.press("3");
  await expect(group.getByRole("checkbox", { name: "e2e" })).toBeChecked();
  await page.keyboard.press("3");
  await expect(group.getByRole("checkbox", { name: "e2e" })).not.toBeChecked();
  await page.keyboard.press("4");
  await page.getByLabel("Or type an answer").fill("bench on the big box");
  await page.getByRole("button", { name: "Send answer" }).click();
  await answered(page);
  expect(await read(request, id)).toMatchObject({
    selected: ["lint", "bench"],
    response: "bench on the big box",
  });
});

test("at 390 px the options are full-width touch targets of at least 44 px", async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const id = await ask(request, {
    question: "Pick one",
    options: ["A rather long label that has to wrap onto a second line at phone width", "B"],
  });
  await page.goto(`/questions/${id}`);
  const buttons = page.getByRole("group", { name: "Choose one" }).getByRole("button");
  for (const b of await buttons.all()) {
    const box = (await b.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(overflow).toBe(false);
});
