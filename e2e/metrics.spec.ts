import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const CHARTS = [
  "Response time over time",
  // per day up to 400 days; "all" on the seed spans 2019 to now, so coarser buckets
  /^Decisions per (day|week|month)$/,
  "Average response time by request type",
  "By reviewer",
  "Slowest responses",
  "By agent",
];

const decisions = (page: Page) =>
  page
    .getByRole("term")
    .filter({ hasText: /^Decisions$/ })
    .locator("xpath=following-sibling::dd[1]");

test("every chart renders an svg with the seeded decisions, each with a text alternative", async ({
  page,
}) => {
  await page.goto("/metrics?period=all");
  await expect(page.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  // the demo seed's 8 decisions + the 5 edge cases (decided in 2019)
  await expect(decisions(page)).toHaveText("13");
  for (const name of CHARTS) {
    const region = page.getByRole("region", { name });
    await expect(region.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(region.getByRole("figure")).toHaveAttribute("aria-label", /\S/);
  }
  // the slowest table links to the request's page
  const slowest = page.getByRole("region", { name: "Slowest responses" });
  await expect(slowest.getByRole("row")).toHaveCount(11); // header + the ten slowest of 13
  const first = slowest.getByRole("link").first();
  await expect(first).toHaveAttribute("href", /^\/(approvals|questions)\/[0-9a-f-]{36}$/);
  // a human time, with the exact milliseconds on hover
  const avg = page
    .getByRole("term")
    .filter({ hasText: /^Average$/ })
    .locator("xpath=following-sibling::dd[1]/span");
  await expect(avg).toHaveText(/\d+ min( \d+ s)?/);
  await expect(avg).toHaveAttribute("title", /^[\d,.]+ ms$/);
});

test("the period selector changes the numbers and the URL", async ({ page }) => {
  await page.goto("/metrics");
  const period = page.getByRole("navigation", { name: "Period" });
  await expect(period.getByRole("link", { name: "7 days" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(decisions(page)).toHaveText("8");

  // the demo decisions are 24-31 hours old: at most one falls in the last 24 hours
  await period.getByRole("link", { name: "24 hours" }).click();
  await expect(page).toHaveURL(/[?&]period=24h\b/);
  await expect(decisions(page)).toHaveText(/^[01]$/);

  await page
    .getByRole("navigation", { name: "Request type" })
    .getByRole("link", { name: "Questions" })
    .click();
  await expect(page).toHaveURL(/period=24h&type=question/);
  await period.getByRole("link", { name: "All time" }).click();
  await expect(page).toHaveURL(/period=all&type=question/);
  await expect(decisions(page)).toHaveText("4"); // 3 demo answers + 1 edge case

  // a custom period before any decision: the empty state, not an error
  const custom = page.getByRole("form", { name: "Custom period" });
  await custom.getByLabel("From (UTC)").fill("2020-01-01");
  await custom.getByLabel("To (UTC)").fill("2020-01-31");
  await custom.getByRole("button", { name: /custom period/ }).click();
  await expect(page).toHaveURL(/period=custom&type=question&from=2020-01-01&to=2020-01-31/);
  await expect(decisions(page)).toHaveText("0");
  await expect(page.getByText("No decisions in this period.").first()).toBeVisible();
});

test("a bad filter explains itself and falls back to the last 7 days", async ({ page }) => {
  await page.goto("/metrics?period=custom&from=2026-02-01&to=2026-01-01");
  await expect(page.getByRole("alert").filter({ hasText: "not understood" })).toContainText(
    "to: must be after from",
  );
  await expect(decisions(page)).toHaveText("8");
});

test("a range from year 1 to 9999 renders quickly, charted per century", async ({ page }) => {
  const started = Date.now();
  await page.goto("/metrics?from=0001-01-01&to=9999-12-31");
  await expect(page.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Decisions per century" })).toBeVisible();
  await expect(decisions(page)).toHaveText("13");
  expect(Date.now() - started).toBeLessThan(5000);
});
