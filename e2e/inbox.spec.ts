import { expect, test } from "./fixtures";

const REVIEW_URL = /\/(approvals|questions)\/[0-9a-f-]{36}$/;

/** Hydrated (effects ran, keyboard listeners attached) once the live stream is open. */
async function ready(page: import("@playwright/test").Page) {
  await expect(page.locator('[data-live-status="live"]')).toBeVisible();
}

test("the inbox lists the seeded pending approvals and questions with their ages", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Inbox/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "src/cache/lru.ts" })).toBeVisible();
  await expect(
    page.getByRole("link", { name: /Which cache should I use for session data/ }),
  ).toBeVisible();
  const rows = page.getByRole("list", { name: "Pending requests" }).getByRole("listitem");
  await expect(rows).toHaveCount(8);
  // oldest first: the seed's oldest pending request had waited 31 min, the newest 3 min
  // (both older by the time this runs, the gap stays 28 min)
  for (const row of await rows.all()) await expect(row).toContainText(/waiting \d+ min/);
  const minutes = async (row: typeof rows) =>
    Number((await row.locator("time").innerText()).match(/waiting (\d+) min/)?.[1]);
  const oldest = await minutes(rows.first());
  const newest = await minutes(rows.last());
  expect(oldest).toBeGreaterThanOrEqual(31);
  expect(oldest - newest).toBeGreaterThanOrEqual(27);
  expect(oldest - newest).toBeLessThanOrEqual(29);
  await expect(page).toHaveTitle("(8) Inbox · Nexus");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: /Inbox\s*8\s*pending/ })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Metrics" })).toBeVisible();
});

test("filters by type and agent live in the URL", async ({ page }) => {
  await page.goto("/?type=question");
  const rows = page.getByRole("list", { name: "Pending requests" }).getByRole("listitem");
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await expect(row).toContainText("question");
  await expect(page.getByLabel("Type")).toHaveValue("question");

  await page.getByLabel("Type").selectOption("approval");
  await expect(page).toHaveURL(/type=approval/);
  await expect(rows).toHaveCount(5);

  await page.getByLabel("Agent").selectOption("refactor-bot");
  await expect(page).toHaveURL(/agent=refactor-bot/);
  await expect(rows).toHaveCount(2);
  await expect(page.getByText("Showing 2 of 8 pending.")).toBeVisible();

  await page.getByLabel("Sort").selectOption("newest");
  await expect(page).toHaveURL(/sort=newest/);
  await expect(rows.first()).toContainText("services/billing/invoice.py");
});

test("j/k move a visible selection and Enter opens the selected request", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  const links = page.getByRole("list", { name: "Pending requests" }).getByRole("link");
  await expect(links).toHaveCount(8);
  await page.keyboard.press("j");
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(links.nth(2)).toBeFocused();
  await page.keyboard.press("k");
  await expect(links.nth(1)).toBeFocused();
  const href = await links.nth(1).getAttribute("href");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(REVIEW_URL);
  expect(new URL(page.url()).pathname).toBe(href);
});

test("shortcuts stay quiet while typing in a field", async ({ page }) => {
  await page.goto("/history");
  await ready(page);
  const search = page.getByLabel("Search");
  await search.click();
  await page.keyboard.type("j?k");
  await expect(search).toHaveValue("j?k");
  await expect(page.getByRole("dialog")).toBeHidden();
});

test("? opens the shortcuts dialog as a modal; Escape closes it and focus returns", async ({
  page,
}) => {
  await page.goto("/");
  await ready(page);
  await page.keyboard.press("j");
  const first = page.getByRole("list", { name: "Pending requests" }).getByRole("link").first();
  await expect(first).toBeFocused();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  await expect(dialog.getByRole("cell", { name: "Open the selected request" })).toBeVisible();
  // page shortcuts do nothing under the modal
  await page.keyboard.press("j");
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(first).toBeFocused();
});

test("g h and g i move between inbox and history", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  await page.keyboard.press("g");
  await page.keyboard.press("h");
  await expect(page).toHaveURL(/\/history$/);
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await page.keyboard.press("g");
  await page.keyboard.press("i");
  await expect(page).toHaveURL(/\/$/);
});

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", database: "ok" });
});
