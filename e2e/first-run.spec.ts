import os from "node:os";
import { expect, test } from "@playwright/test";
import { startFreshServer, type SpawnedServer } from "./helpers/spawn-server";

/*
 * A new user's first minutes, on a server of its own with an empty database: the
 * browser leads to /setup, the admin signs in, creates an agent key in Settings, the
 * key works on the API, and stops working the moment it is revoked.
 */
let server: SpawnedServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startFreshServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test("first run: setup → sign in → create an API key → use it → revoke it → 401", async ({
  page,
  request,
}) => {
  const base = server.baseURL;
  const email = "owner@example.com";
  const password = "first-admin-password";

  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/setup`);
  await expect(page.getByRole("heading", { name: "Welcome to Nexus" })).toBeVisible();
  // From the server's own machine (loopback) no setup token is asked for.
  await expect(page.getByLabel("Setup token")).toHaveCount(0);

  // A mistake is reported next to its field.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill("something-else");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("The passwords do not match")).toBeVisible();

  // The email is kept; passwords are typed again.
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/login\?setup=done$/);
  await expect(page.getByRole("main").getByRole("status")).toContainText("admin account is ready");

  // Setup is gone once an account exists.
  const setupAgain = await request.get(`${base}/setup`, { maxRedirects: 0 });
  expect(setupAgain.status()).toBe(307);
  expect(setupAgain.headers().location).toBe("/login");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Inbox/ })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toContainText("admin");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Settings" })
    .click();
  await page
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", { name: "API keys" })
    .click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  await page.getByLabel("Name").fill("first-agent");
  await page.getByLabel("Role").selectOption("agent");
  await page.getByRole("button", { name: "Create key" }).click();
  const keyBox = page.getByLabel("New API key");
  await expect(keyBox).toHaveValue(/^nxs_/);
  const key = await keyBox.inputValue();
  await expect(page.getByRole("button", { name: "Copy key" })).toBeVisible();

  const me = await request.get(`${base}/api/v1/me`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual({ kind: "key", name: "first-agent", role: "agent" });

  // The list shows the key by prefix, with its last use; the key itself is not in the page after a reload.
  await page.reload();
  const row = page.getByRole("row", { name: /first-agent/ });
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("never");
  expect(await page.content()).not.toContain(key);

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke key first-agent" }).click();
  await expect(row).toContainText("Revoked");

  const after = await request.get(`${base}/api/v1/me`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(after.status()).toBe(401);
  expect(await after.json()).toEqual({
    error: { code: "unauthorized", message: expect.any(String) },
  });
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return undefined;
}

test("first run from another machine needs the setup token the server printed", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const lan = lanAddress();
  test.skip(!lan, "no non-loopback interface to come from");
  const fresh = await startFreshServer();
  try {
    const token = /setup token[^:]*: (\S+)/.exec(fresh.stdout())?.[1];
    expect(token, fresh.stdout()).toMatch(/^[A-Za-z0-9_-]{20}$/);
    // Coming to the server's LAN address: the socket's peer is not loopback, whatever
    // forwarding or peer headers the client sends (no NEXUS_TRUST_PROXY).
    const context = await browser.newContext({
      extraHTTPHeaders: { "x-forwarded-for": "127.0.0.1", "x-nexus-peer": "127.0.0.1" },
    });
    const page = await context.newPage();
    const base = `http://${lan}:${fresh.port}`;
    await page.goto(`${base}/setup`);
    await expect(page.getByLabel("Setup token")).toBeVisible();
    const fill = async (value: string) => {
      await page.getByLabel("Setup token").fill(value);
      await page.getByLabel("Email").fill("remote@example.com");
      await page.getByLabel("Password", { exact: true }).fill("remote-password");
      await page.getByLabel("Confirm password").fill("remote-password");
      await page.getByRole("button", { name: "Create admin account" }).click();
    };
    await fill("not-the-token");
    await expect(page.getByText("Enter the setup token printed by the server")).toBeVisible();
    await fill(token!);
    await expect(page).toHaveURL(/\/login\?setup=done$/);
    await context.close();
  } finally {
    await fresh.stop();
  }
});
