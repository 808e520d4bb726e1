import { expect, test } from "./fixtures";

test("the inbox lists the seeded pending approvals and questions", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Inbox/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "src/cache/lru.ts" })).toBeVisible();
  await expect(
    page.getByRole("link", { name: /Which cache should I use for session data/ }),
  ).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Metrics" }),
  ).toBeVisible();
});

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", database: "ok" });
});
