import { expect, test } from "./fixtures";

/* Settings → Connect an agent: snippets with this server's URL and a key created there. */

const snippet = (page: import("@playwright/test").Page, id: string) =>
  page.locator(`pre[data-snippet="${id}"]`);

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("a key created on the page is pasted into the snippets, which parse and work", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/settings/connect");
    await expect(page.getByRole("heading", { name: "Connect an agent" })).toBeVisible();
    // before a key: the placeholder and this server's URL
    await page.getByRole("tab", { name: "Claude Code MCP" }).click();
    await expect(snippet(page, "claude-mcp-add")).toContainText(`${baseURL}/api/v1/mcp`);
    await expect(snippet(page, "claude-mcp-add")).toContainText("YOUR_NEXUS_API_KEY");

    const name = `connect-${Date.now()}`;
    await page.getByLabel("Key name").fill(name);
    await page.getByLabel("Agent id (optional)").fill("laptop-claude");
    await page.getByRole("button", { name: "Create a key for this agent" }).click();
    const key = (await page.getByTestId("created-key").textContent())!.trim();
    expect(key).toMatch(/^nxs_/);

    // the tab stays, the key is in its snippets
    await expect(snippet(page, "claude-mcp-add")).toContainText(`Bearer ${key}`);
    const config = JSON.parse((await snippet(page, "claude-mcp-config").textContent())!);
    expect(config.mcpServers.nexus).toEqual({
      type: "http",
      url: `${baseURL}/api/v1/mcp`,
      headers: { Authorization: `Bearer ${key}` },
    });
    // every JSON snippet of every tab parses; none is left with the placeholder
    const all = page.locator("pre[data-snippet]");
    for (let i = 0; i < (await all.count()); i++) {
      const pre = all.nth(i);
      const text = (await pre.textContent())!;
      expect(text, (await pre.getAttribute("data-snippet")) ?? "").not.toContain(
        "YOUR_NEXUS_API_KEY",
      );
      if ((await pre.getAttribute("data-lang")) === "json") JSON.parse(text);
    }
    await expect(snippet(page, "curl-approval")).toContainText('agent_id: "laptop-claude"');

    // the pasted configuration reaches the MCP server with that key
    const res = await page.request.post(config.mcpServers.nexus.url, {
      headers: {
        ...config.mcpServers.nexus.headers,
        Accept: "application/json, text/event-stream",
        "Content-Type": "application/json",
      },
      data: {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/list",
        params: {},
      },
    });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain("request_approval");

    // and the key is listed in Settings → API keys, bound to its agent
    await page.goto("/settings/api-keys");
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("laptop-claude");
  });

  test("tabs work with the keyboard; copy buttons copy", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/settings/connect");
    const first = page.getByRole("tab", { name: "Claude Code hooks" });
    await first.focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Claude Code MCP" })).toBeFocused();
    await expect(page.getByRole("tab", { name: "Claude Code MCP" })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await page.keyboard.press("End");
    await expect(page.getByRole("tab", { name: "TypeScript" })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await expect(page.getByRole("tabpanel")).toContainText("NexusClient");
    await page.keyboard.press("Home");
    await page.getByRole("button", { name: "Copy Project settings" }).click();
    await expect(page.getByRole("button", { name: "Copy Project settings" })).toHaveText("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied).hooks.PreToolUse[0].hooks[0].onFailure).toBe("block");
  });

  test("fits a phone (390 px)", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/settings/connect");
    await page.getByRole("tab", { name: "Claude Desktop, Cursor, VS Code, Codex" }).click();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole("button", { name: "Create a key for this agent" })).toBeVisible();
  });
});

test.describe("as a viewer", () => {
  test.use({ role: "viewer" });

  test("reads the snippets, cannot create a key", async ({ page }) => {
    await page.goto("/settings/account");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Connect an agent" })
      .click();
    await expect(page).toHaveURL(/\/settings\/connect$/);
    await expect(snippet(page, "hooks-settings")).toContainText(
      "/api/v1/integrations/claude-code/hook",
    );
    await expect(page.getByRole("button", { name: "Create a key for this agent" })).toHaveCount(0);
  });
});
