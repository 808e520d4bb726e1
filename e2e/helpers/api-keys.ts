import { expect, type Page } from "@playwright/test";

/** Create an API key in Settings → API keys (page must be signed in as admin). */
export async function createApiKeyInUi(
  page: Page,
  role: "agent" | "reviewer",
  name = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
): Promise<{ name: string; key: string }> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Role").selectOption(role);
  await page.getByRole("button", { name: "Create key" }).click();
  const box = page.getByLabel("New API key");
  await expect(box).toHaveValue(/^nxs_/);
  return { name, key: await box.inputValue() };
}

/** Revoke a key in Settings → API keys (page must be signed in as admin). */
export async function revokeApiKeyInUi(page: Page, name: string) {
  await page.goto("/settings/api-keys");
  const row = page.getByRole("row", { name: new RegExp(name) });
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Revoke key ${name}` }).click();
  await expect(row).toContainText("Revoked");
}
