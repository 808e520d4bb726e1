import { expect, test } from "./fixtures";

/*
 * Pages answer with the HTTP status of what they show: no loading boundary streams a
 * 200 before the request is looked up (or the role checked).
 */

test.describe("review pages", () => {
  for (const kind of ["approvals", "questions"]) {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      test(`/${kind}/${id} answers 404 with the not-found page`, async ({ page }) => {
        const res = await page.goto(`/${kind}/${id}`);
        expect(res?.status()).toBe(404);
        await expect(page.getByRole("heading", { name: /not found$/ })).toBeVisible();
      });
    }
  }

  test("a known request answers 200", async ({ page }) => {
    await page.goto("/");
    const href = await page
      .getByRole("main")
      .locator('a[href^="/approvals/"], a[href^="/questions/"]')
      .first()
      .getAttribute("href");
    const res = await page.goto(href!);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });
});

test.describe("a viewer on admin pages", () => {
  test.use({ role: "viewer" });

  for (const path of ["/settings/api-keys", "/settings/users"]) {
    test(`${path} answers 403 with the not-allowed page`, async ({ page }) => {
      const res = await page.goto(path);
      expect(res?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    });
  }
});
