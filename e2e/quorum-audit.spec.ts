import { expect, signInState, test, E2E_PASSWORD, E2E_USERS } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Quorum and the audit log in the browser: a two-approval request shows "0 of 2" then
 * "1 of 2 approvals" in the inbox, its first approver cannot approve again, a second
 * reviewer decides it; Settings → Audit lists what happened, filtered, admins only.
 * Named to run after the specs that count the shared server's seeded requests (history,
 * inbox, metrics): it adds a decided approval.
 */

test.use({ role: "admin" });

const DIFF = "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1 +1 @@\n-a\n+b\n";

test("a two-approval request: 1 of 2 after the first approval, decided by a second reviewer; the audit log shows it", async ({
  page,
  browser,
  baseURL,
}) => {
  const { key } = await createApiKeyInUi(page, "agent");
  const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const res = await page.request.post("/api/v1/approvals", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      agent_id: `quorum-${tag}`,
      file_path: `docs/quorum-${tag}.md`,
      diff: DIFF,
      required_approvals: 2,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const created = (await res.json()) as { id: string; url: string };
  expect(created).toMatchObject({ status: "pending", approvals: { required: 2, received: 0 } });

  await page.goto(`/?agent=quorum-${tag}`);
  const row = page.locator(`li[data-request-id="${created.id}"]`);
  await expect(row).toContainText("0 of 2 approvals");

  const path = new URL(created.url).pathname;
  // a second reviewer has the request open meanwhile: it follows live
  const reviewer = await browser.newContext({
    storageState: await signInState(baseURL!, E2E_USERS.reviewer, E2E_PASSWORD),
  });
  const second = await reviewer.newPage();
  await second.goto(path);
  await expect(second.getByRole("region", { name: "0 of 2 approvals" })).toBeVisible();

  await page.goto(path);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?approved=1$`));
  const quorum = page.getByRole("region", { name: "1 of 2 approvals" });
  await expect(quorum).toContainText("Your approval is recorded. Needs 1 more approval");
  await expect(quorum.getByRole("list", { name: "Approved by" })).toContainText(E2E_USERS.admin);
  await page.screenshot({ path: test.info().outputPath("quorum-review-1280.png") });

  // the same reviewer again: refused, clearly
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("You already approved this approval")).toBeVisible();

  await page.goto(`/?agent=quorum-${tag}`);
  await expect(row).toContainText("1 of 2 approvals");
  await page.screenshot({ path: test.info().outputPath("quorum-inbox-1280.png") });

  try {
    // no reload: the request.approval event refreshed the open page
    await expect(second.getByRole("region", { name: "1 of 2 approvals" })).toBeVisible();
    await second.getByRole("button", { name: "Approve" }).click();
    await second.waitForURL((u) => !u.pathname.startsWith(path) || u.search.includes("done"));
    await second.goto(path);
    await expect(second.getByRole("region", { name: "2 of 2 approvals" })).toContainText(
      E2E_USERS.reviewer,
    );
  } finally {
    await reviewer.close();
  }

  const api = await page.request.get(`/api/v1/approvals/${created.id}`);
  const decided = await api.json();
  expect(decided).toMatchObject({
    status: "approved",
    decided_by: E2E_USERS.reviewer,
    approvals: { required: 2, received: 2 },
  });
  expect(decided.approvals.reviewers.map((r: { reviewer: string }) => r.reviewer)).toEqual([
    E2E_USERS.admin,
    E2E_USERS.reviewer,
  ]);

  // Settings → Audit, filtered by the request id: its four entries, newest first
  await page.goto("/settings/audit");
  await page.getByLabel("Request id or subject").fill(created.id);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`subject=${created.id}`));
  const entries = page.getByTestId("audit-entry");
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toContainText("request.decided");
  await expect(entries.nth(0)).toContainText(E2E_USERS.reviewer);
  await expect(entries.nth(1)).toContainText("request.approval");
  await expect(entries.nth(2)).toContainText("request.approval");
  await expect(entries.nth(2)).toContainText(E2E_USERS.admin);
  await expect(entries.nth(3)).toContainText("request.created");

  // by event type and actor: this test's key creation
  await page.goto("/settings/audit");
  await page.getByLabel("Event").selectOption("key.created");
  await page.getByLabel("Actor").fill(E2E_USERS.admin);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(entries.first()).toContainText("key.created");
  for (const text of await entries.allTextContents()) expect(text).toContain("key.created");

  // a date range that ends before today: nothing
  await page.goto("/settings/audit?to=2000-01-01");
  await expect(page.getByText("No audit entry matches these filters.")).toBeVisible();
});

test("Settings → Audit at phone width: filters stacked, entries readable, nothing to scroll sideways", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/settings/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-entry").first()).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const button = await page.getByRole("button", { name: "Filter" }).boundingBox();
  expect(button!.height).toBeGreaterThanOrEqual(44);
  await page.screenshot({ path: test.info().outputPath("audit-390.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: test.info().outputPath("audit-1280-dark.png") });
});

test.describe("a reviewer", () => {
  test.use({ role: "reviewer" });
  test("gets 403 on Settings → Audit and no link to it", async ({ page }) => {
    expect((await page.goto("/settings/audit"))?.status()).toBe(403);
    await page.goto("/settings/account");
    const nav = page.getByRole("navigation", { name: "Settings" });
    await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
  });
});
