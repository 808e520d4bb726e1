import { expect, test } from "./fixtures";
import { createApiKeyInUi, revokeApiKeyInUi } from "./helpers/api-keys";
import { apiV1Routes, pageRoutes } from "./helpers/routes";

/*
 * Nothing works without credentials. Routes are read from app/ at test time, so pages
 * and API routes added later are covered without editing this file.
 */
const PUBLIC_PAGES = ["/login", "/setup"];
const NO_SESSION = { cookies: [], origins: [] };

test.describe("anonymous visitors", () => {
  test.use({ role: "anonymous" });

  for (const route of pageRoutes().filter((r) => !PUBLIC_PAGES.includes(r))) {
    test(`page ${route} redirects to /login`, async ({ page, request }) => {
      // Over HTTP: a real redirect, before any page content is sent.
      const res = await request.get(route, { maxRedirects: 0 });
      expect(res.status(), `GET ${route}`).toBe(307);
      expect(res.headers().location).toMatch(/^\/login(\?next=|$)/);
      // In the browser: lands on the sign-in form, with the way back remembered.
      await page.goto(route);
      await expect(page).toHaveURL(/\/login(\?next=.*)?$/);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      if (route !== "/") expect(new URL(page.url()).searchParams.get("next")).toBe(route);
    });
  }

  test("/setup is gone once accounts exist", async ({ page, request }) => {
    const res = await request.get("/setup", { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toBe("/login");
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByLabel("Confirm password")).toHaveCount(0);
  });
});

test.describe("API without valid credentials", () => {
  test.use({ role: "admin" });

  const routes = apiV1Routes();
  test("the API has routes to check", () => {
    expect(routes.map((r) => r.path)).toContain("/api/v1/me");
  });

  test("every /api/v1 route answers 401 without a key, with a bad key and with a revoked key", async ({
    page,
    playwright,
    baseURL,
  }) => {
    // A key, created and revoked by the admin in Settings.
    const revoked = await createApiKeyInUi(page, "agent");
    await revokeApiKeyInUi(page, revoked.name);
    const revokedKey = revoked.key;

    const anon = await playwright.request.newContext({ baseURL, storageState: NO_SESSION });
    try {
      for (const route of routes) {
        for (const method of route.methods) {
          for (const [label, auth] of [
            ["no key", undefined],
            ["a malformed header", "Basic abc"],
            ["an unknown key", "Bearer nxs_not-a-real-key"],
            ["a revoked key", `Bearer ${revokedKey}`],
          ] as const) {
            const res = await anon.fetch(route.path, {
              method,
              headers: {
                "content-type": "application/json",
                ...(auth ? { authorization: auth } : {}),
              },
              data: method === "GET" || method === "DELETE" ? undefined : "{}",
              maxRedirects: 0,
            });
            expect(res.status(), `${method} ${route.path} with ${label}`).toBe(401);
            const body = await res.json();
            expect(body.error.code, `${method} ${route.path} with ${label}`).toBe("unauthorized");
          }
        }
      }
    } finally {
      await anon.dispose();
    }
  });
});

/*
 * Routes a role may not use, as [method, path pattern, roles refused]. Extend this as
 * routes are added; a route that does not exist yet is simply not checked.
 */
const REFUSED: [string, RegExp, ("agent" | "reviewer")[]][] = [
  ["POST", /^\/api\/v1\/approvals\/[^/]+\/decision$/, ["agent"]],
  ["POST", /^\/api\/v1\/questions\/[^/]+\/response$/, ["agent"]],
];

test.describe("API keys lacking the role", () => {
  test.use({ role: "admin" });

  const cases = apiV1Routes().flatMap((route) =>
    REFUSED.filter(
      ([method, pattern]) => route.methods.includes(method) && pattern.test(route.path),
    ).map(([method, , roles]) => ({ route, method, roles })),
  );

  test("answer 403 forbidden", async ({ page, playwright, baseURL }) => {
    test.skip(cases.length === 0, "no role-restricted /api/v1 routes in this build yet");
    const keys = {
      agent: (await createApiKeyInUi(page, "agent")).key,
      reviewer: (await createApiKeyInUi(page, "reviewer")).key,
    };
    const api = await playwright.request.newContext({ baseURL, storageState: NO_SESSION });
    try {
      for (const { route, method, roles } of cases)
        for (const role of roles) {
          const res = await api.fetch(route.path, {
            method,
            headers: { authorization: `Bearer ${keys[role]}`, "content-type": "application/json" },
            data: "{}",
          });
          expect(res.status(), `${method} ${route.path} with a ${role} key`).toBe(403);
          expect((await res.json()).error.code).toBe("forbidden");
        }
    } finally {
      await api.dispose();
    }
  });
});
