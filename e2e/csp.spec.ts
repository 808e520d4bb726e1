import type { Page } from "@playwright/test";
import { EDGE_CASE_IDS } from "../db/seed-big";
import { expect, test } from "./fixtures";
import { startFreshServer } from "./helpers/spawn-server";

/*
 * The Content-Security-Policy allows only scripts carrying the page's nonce (proxy.ts):
 * every page must still render and hydrate with no violation. Any
 * `securitypolicyviolation` event or console error fails the test.
 */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    // A 4xx answer (a wrong password's 401) is logged by Chromium; it is not a CSP problem.
    if (m.type() === "error" && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()))
      problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  return problems;
}

async function visit(page: Page, path: string) {
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  const res = await page.goto(path);
  const csp = res?.headers()["content-security-policy"] ?? "";
  const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(script, path).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(script, path).not.toContain("unsafe-inline");
  await expect(page.getByRole("main")).toBeVisible();
  // Hydrated: React attached its event handlers (next/link navigates client-side).
  await page.waitForLoadState("networkidle");
  return csp;
}

test.describe("CSP nonce, signed in as admin", () => {
  test.use({ role: "admin" });

  test("every page renders and hydrates with no CSP violation", async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watch(page);
    const first = await visit(page, "/");
    const links = await page
      .locator('main a[href^="/approvals/"], main a[href^="/questions/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const approval = links.find((h) => h.startsWith("/approvals/"));
    const question = links.find((h) => h.startsWith("/questions/"));
    expect(approval, "a pending approval in the inbox").toBeTruthy();
    expect(question, "a pending question in the inbox").toBeTruthy();
    const pages = [
      approval!,
      question!,
      `/approvals/${EDGE_CASE_IDS.xssApproval}`,
      `/questions/${EDGE_CASE_IDS.xssQuestion}`,
      `/approvals/${EDGE_CASE_IDS.diff20k}`,
      "/history",
      "/history?type=questions",
      "/metrics",
      "/settings",
      "/settings/account",
      "/settings/users",
      "/settings/api-keys",
    ];
    for (const path of pages) await visit(page, path);
    // The diff's controls and the decision form are running on a review page.
    await visit(page, approval!);
    await expect(page.getByRole("button", { name: /approve/i }).first()).toBeVisible();
    // A fresh nonce per response.
    expect(await visit(page, "/")).not.toBe(first);
    expect(problems).toEqual([]);
  });
});

test.describe("CSP nonce, anonymous", () => {
  test.use({ role: "anonymous" });

  test("sign-in page and first-run setup render with no CSP violation", async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watch(page);
    await visit(page, "/login");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    const server = await startFreshServer();
    try {
      await visit(page, `${server.baseURL}/setup`);
      await page.getByLabel("Confirm password").fill("x");
      await expect(page.getByRole("heading", { name: "Welcome to Nexus" })).toBeVisible();
    } finally {
      await server.stop();
    }
    expect(problems).toEqual([]);
  });
});
