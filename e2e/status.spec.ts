import { expect, test } from "./fixtures";

/*
 * Settings → Status: admins only, reached from the settings navigation, every figure
 * shown, refreshed live, readable at phone width.
 */

const FIGURES = [
  "version",
  "uptime",
  "database",
  "database-size",
  "migrations",
  "connections",
  "long-polls",
  "event-streams",
  "pending",
  "oldest-pending",
  "last-backup",
  "next-backup",
];

test.describe("admin", () => {
  test.use({ role: "admin" });

  test("opens Status from the settings navigation and sees every figure, refreshed", async ({
    page,
  }) => {
    await page.goto("/settings/account");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Status" })
      .click();
    await expect(page).toHaveURL(/\/settings\/status$/);
    await expect(page.getByRole("heading", { name: "Status" })).toBeVisible();
    for (const f of FIGURES) await expect(page.locator(`[data-figure="${f}"]`), f).not.toBeEmpty();
    await expect(page.locator('[data-figure="database"]')).toContainText("embedded");
    await expect(page.locator('[data-table="approval_requests"]')).toBeVisible();
    const updated = page.getByText(/^Updated \d\d:\d\d:\d\d UTC/);
    const first = await updated.textContent();
    await expect(updated).not.toHaveText(first!, { timeout: 12_000 }); // polled again
  });

  test("fits a phone screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/settings/status");
    await expect(page.locator('[data-figure="version"]')).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("viewer", () => {
  test.use({ role: "viewer" });

  test("gets 403 and no Status link", async ({ page }) => {
    await page.goto("/settings/account");
    await expect(
      page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Status" }),
    ).toHaveCount(0);
    expect((await page.goto("/settings/status"))?.status()).toBe(403);
  });
});
