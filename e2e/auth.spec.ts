import type { Page } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS, expect, test } from "./fixtures";

/*
 * Signing in and out, passwords, the security headers, and a clean production page
 * (hydrated, no CSP violations). Uses its own users for anything that ends sessions,
 * so the shared fixture sessions stay valid.
 */

test.use({ role: "anonymous" });
const NO_SESSION = { cookies: [], origins: [] };

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a wrong password is reported accessibly, and sign-in returns to the page asked for", async ({
  page,
}) => {
  await page.goto("/settings/account");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Faccount$/);
  await signIn(page, E2E_USERS.viewer, "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
  await signIn(page, E2E_USERS.viewer, E2E_PASSWORD);
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
});

test.describe("as admin", () => {
  test.use({ role: "admin" });

  test("an admin adds a user; the user changes the password, signs out, and the old password stops working", async ({
    browser,
    page: adminPage,
  }) => {
    await adminPage.goto("/settings/users");
    const email = `pat-${Date.now()}@nexus.test`;
    await adminPage.getByLabel("Email").fill(email);
    await adminPage.getByLabel("Name").fill("Pat");
    await adminPage.getByLabel("Password").fill("first-password");
    await adminPage.getByLabel("Role", { exact: true }).selectOption("reviewer");
    await adminPage.getByRole("button", { name: "Create user" }).click();
    await expect(adminPage.getByRole("main").getByRole("status")).toContainText(
      `${email} can now sign in as reviewer`,
    );
    const row = adminPage.getByRole("row", { name: new RegExp(email) });
    await expect(row).toBeVisible();

    const user = await browser.newContext({ storageState: NO_SESSION });
    const page = await user.newPage();
    await page.goto("/login");
    await signIn(page, email, "first-password");
    await expect(page.getByTestId("signed-in-as")).toContainText("Pat");
    await expect(page.getByTestId("signed-in-as")).toContainText("reviewer");

    // A role change applies to the existing session at once.
    await row.getByLabel(`Role of ${email}`).selectOption("viewer");
    await row.getByRole("button", { name: "Change role" }).click();
    await expect(row.getByRole("status")).toContainText("is now viewer");
    await page.reload();
    await expect(page.getByTestId("signed-in-as")).toContainText("viewer");

    await page.goto("/settings/account");
    await page.getByLabel("Current password").fill("wrong-current");
    await page.getByLabel("New password", { exact: true }).fill("second-password");
    await page.getByLabel("Confirm new password").fill("second-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("The current password is wrong")).toBeVisible();
    await page.getByLabel("Current password").fill("first-password");
    await page.getByLabel("New password", { exact: true }).fill("second-password");
    await page.getByLabel("Confirm new password").fill("second-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText("Password changed");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);

    await signIn(page, email, "first-password");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
    await signIn(page, email, "second-password");
    await expect(page.getByRole("heading", { name: /Inbox/ })).toBeVisible();
    await user.close();
  });

  test("an admin disables a user: signed out at once, refused at sign-in, enabled again", async ({
    browser,
    page: adminPage,
  }) => {
    await adminPage.goto("/settings/users");
    const email = `dee-${Date.now()}@nexus.test`;
    await adminPage.getByLabel("Email").fill(email);
    await adminPage.getByLabel("Password").fill("dee-password");
    await adminPage.getByLabel("Role", { exact: true }).selectOption("viewer");
    await adminPage.getByRole("button", { name: "Create user" }).click();
    const row = adminPage.getByRole("row", { name: new RegExp(email) });
    await expect(row).toBeVisible();
    // No button to disable yourself.
    await expect(
      adminPage.getByRole("row", { name: /\(you\)/ }).getByRole("button", { name: /^Disable/ }),
    ).toHaveCount(0);

    const user = await browser.newContext({ storageState: NO_SESSION });
    const page = await user.newPage();
    await page.goto("/login");
    await signIn(page, email, "dee-password");
    await expect(page.getByTestId("signed-in-as")).toContainText("viewer");

    adminPage.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: `Disable ${email}` }).click();
    await expect(row.getByRole("status")).toContainText("disabled and signed out");
    await expect(row).toContainText("disabled");
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, email, "dee-password");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "This account is disabled. Ask an admin to enable it.",
    );

    await row.getByRole("button", { name: `Enable ${email}` }).click();
    await expect(row.getByRole("status")).toContainText("can sign in again");
    await signIn(page, email, "dee-password");
    await expect(page.getByRole("heading", { name: /Inbox/ })).toBeVisible();
    await user.close();
  });

  test("session cookies are HttpOnly and SameSite=Lax", async ({ playwright, baseURL }) => {
    const ctx = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { origin: baseURL! },
    });
    const res = await ctx.post("/api/auth/sign-in/email", {
      data: { email: E2E_USERS.viewer, password: E2E_PASSWORD },
    });
    expect(res.status()).toBe(200);
    const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie");
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c.value).toMatch(/HttpOnly/i);
      expect(c.value).toMatch(/SameSite=Lax/i);
    }
    await ctx.dispose();
  });

  test("sign-in from another site is refused (origin check)", async ({ playwright, baseURL }) => {
    const ctx = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { origin: "https://evil.example" },
    });
    const res = await ctx.post("/api/auth/sign-in/email", {
      data: { email: E2E_USERS.viewer, password: E2E_PASSWORD },
    });
    expect(res.status()).toBe(403);
    await ctx.dispose();
  });

  test("every response carries the security headers", async ({ request }) => {
    for (const path of ["/login", "/", "/api/health", "/api/v1/me", "/favicon.ico"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      const h = res.headers();
      const csp = h["content-security-policy"] ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      // Pages: scripts by nonce only (proxy.ts); the API's JSON: nothing at all.
      if (path.startsWith("/api/")) expect(csp, path).toContain("default-src 'none'");
      else {
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
      }
      expect(csp, path).not.toContain("unsafe-eval");
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["referrer-policy"], path).toBeTruthy();
      expect(h["x-frame-options"], path).toBe("DENY");
    }
  });

  test("production pages hydrate with no CSP violations or console errors", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (m) => {
      // 404s are prefetches of sections not built yet (e.g. /history), not CSP.
      if (m.type() === "error" && !/^Failed to load resource: .* 404/.test(m.text()))
        problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    for (const path of ["/", "/settings/account", "/settings/users", "/settings/api-keys"]) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
    }
    // Hydrated: a client-side form validates without a page load.
    await page.getByLabel("Name").fill("bad/name");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByText("Name may use letters")).toBeVisible();
    expect(problems).toEqual([]);
  });
});
