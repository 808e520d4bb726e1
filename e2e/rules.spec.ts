import type { APIRequestContext, Page } from "@playwright/test";
import { E2E_USERS, expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Settings → Rules as an admin uses it (add with an error shown inline and nothing typed
 * lost, dry run, edit, move, remove), and "always allow" from a tool call's review page
 * creating a rule that the next identical call matches. Every rule here is scoped to
 * this spec's own agent_id and removed at the end: the server is shared.
 */

const agentId = `e2e-rules-${Date.now()}`;

async function submitBash(request: APIRequestContext, key: string, command: string) {
  const res = await request.post("/api/v1/tool-calls", {
    headers: { Authorization: `Bearer ${key}` },
    data: { tool_name: "Bash", tool_input: { command }, agent_id: agentId },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; status: string; decided_by: string | null };
}

const editor = (page: Page) => page.getByLabel("New rule (JSON)");

/**
 * Wait until React owns the page (its live indicator is connected): a textarea filled
 * before hydration is reset to its template by it, mid-fill, and the typed text lands in
 * front of the template (seen once in CI, on a slow machine).
 */
const hydrated = (page: Page) => expect(page.locator('[data-live-status="live"]')).toBeVisible();

async function removeRule(page: Page, name: string) {
  await page.goto("/settings/rules");
  await hydrated(page); // the confirmation is the page's script
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Remove rule ${name}` }).click();
  await expect(page.getByRole("listitem", { name: `Rule ${name}` })).toHaveCount(0);
}

test.describe("an admin", () => {
  test.use({ role: "admin" });

  test("adds a rule (an error shown inline, the text kept), dry-runs, edits, moves and removes it", async ({
    page,
  }) => {
    await page.goto("/settings/account");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Rules" })
      .click();
    await expect(page).toHaveURL(/\/settings\/rules$/);
    await hydrated(page);

    const bad = JSON.stringify({
      name: `${agentId}-docs`,
      match: { agent_id: agentId, paths: ["docs/[x"] },
      action: "auto_approve",
    });
    await editor(page).fill(bad);
    await page.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText('"docs/[x" is not a valid glob')).toBeVisible();
    await expect(editor(page)).toHaveAttribute("aria-invalid", "true");
    await expect(editor(page)).toHaveValue(bad); // nothing typed is lost

    const name = `${agentId}-docs`;
    await editor(page).fill(
      JSON.stringify({
        name,
        match: { agent_id: agentId, paths: ["docs/**"] },
        action: "auto_approve",
      }),
    );
    await page.getByRole("button", { name: "Dry run (last 30 days)" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Would have matched 0 of the" }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText(`Rule "${name}" created.`)).toBeVisible();
    const item = page.getByRole("listitem", { name: `Rule ${name}` });
    await expect(item).toContainText("approve at once when");

    // a second rule, then move the first below it
    const second = `${agentId}-rm`;
    await editor(page).fill(
      JSON.stringify({
        name: second,
        match: { agent_id: agentId, command: "\\brm -rf\\b" },
        action: { auto_deny: "No rm -rf" },
      }),
    );
    await page.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByRole("listitem", { name: `Rule ${second}` })).toBeVisible();
    await page.getByRole("button", { name: `Move rule ${name} down` }).click();
    const names = page.getByRole("list", { name: /Rules, in the order/ }).getByRole("heading");
    await expect(names.last()).toContainText(name);

    // edit: a bad change is refused at the field; a good one is saved
    await item.getByRole("link", { name: `Edit rule ${name}` }).click();
    await hydrated(page);
    const edit = page.getByLabel(`Rule "${name}" (JSON)`);
    await expect(edit).toBeVisible();
    await edit.fill(
      JSON.stringify({ name, match: { agent_id: agentId, pathz: [] }, action: "auto_approve" }),
    );
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText('unknown field "pathz" in match')).toBeVisible();
    await edit.fill(
      JSON.stringify({
        name,
        match: { agent_id: agentId, paths: ["docs/**", "*.md"] },
        action: "auto_approve",
      }),
    );
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText(`Rule "${name}" updated.`)).toBeVisible();
    await expect(page.getByRole("listitem", { name: `Rule ${name}` })).toContainText('"*.md"');

    await removeRule(page, name);
    await removeRule(page, second);
  });

  test("always allow from a tool call's review page: the next identical call is approved by the new rule", async ({
    page,
    request,
  }) => {
    const { key } = await createApiKeyInUi(page, "agent");
    const first = await submitBash(request, key, "npm test -- --ci");
    expect(first.status).toBe("pending");
    await page.goto(`/tool-calls/${first.id}`);
    await page.getByLabel(/Always allow requests like this/).check();
    const rule = page.getByLabel(/Rule \(JSON\): edit its scope/);
    const proposal = JSON.parse(await rule.inputValue());
    expect(proposal.match).toEqual({
      kind: "tool_call",
      agent_id: agentId,
      tool: "Bash",
      command: "^npm\\s+test(\\s|$)",
    });
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page).not.toHaveURL(new RegExp(first.id));

    const next = await submitBash(request, key, "npm test -- --ci");
    expect(next.status).toBe("approved");
    expect(next.decided_by).toBe(`rule:${proposal.name}`);
    // its review page names the rule
    await page.goto(`/tool-calls/${next.id}`);
    await expect(page.getByTestId("rule-note")).toContainText(proposal.name);
    await removeRule(page, proposal.name);
  });

  test("route_to: a routed question comes first in the reviewer's inbox, marked, and names its rule", async ({
    page,
    request,
  }) => {
    const name = `${agentId}-route`;
    await page.goto("/settings/rules");
    await hydrated(page);
    await editor(page).fill(
      JSON.stringify({
        name,
        match: { kind: "question", agent_id: agentId },
        action: { route_to: [E2E_USERS.admin] },
      }),
    );
    await page.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText(`Rule "${name}" created.`)).toBeVisible();
    const { key } = await createApiKeyInUi(page, "agent");
    const res = await request.post("/api/v1/questions", {
      headers: { Authorization: `Bearer ${key}` },
      data: { question: "Which region should the deploy go to?", agent_id: agentId },
    });
    expect(res.status()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await page.goto("/");
    const first = page.locator("li[data-request-id]").first();
    await expect(first).toHaveAttribute("data-request-id", id);
    await expect(first).toContainText("Routed to you");
    await first.getByRole("link").first().click();
    await expect(page.getByTestId("rule-note")).toContainText(`routed to ${E2E_USERS.admin}`);
    // answer it: the shared server's later specs see no request left pending by this one
    await page.getByLabel("Answer").fill("eu-west");
    await page.getByRole("button", { name: "Send answer" }).click();
    await expect(page).not.toHaveURL(new RegExp(id));
    await removeRule(page, name);
  });
});

test.describe("a reviewer", () => {
  test.use({ role: "reviewer" });

  test("gets 403 on /settings/rules and sees no link to it", async ({ page }) => {
    expect((await page.goto("/settings/rules"))?.status()).toBe(403);
    await page.goto("/settings/account");
    await expect(
      page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Rules" }),
    ).toHaveCount(0);
  });
});
