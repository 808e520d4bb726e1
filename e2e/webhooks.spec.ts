import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Settings → Webhooks as an admin uses it: bad input shown at its field, a webhook added
 * (secret shown once), a submitted request delivered signed to a receiver on
 * 127.0.0.1, the delivery listed with Redeliver, the escalation setting saved.
 */

interface Got {
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function receiver() {
  const got: Got[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    close: () => server.close(),
  };
}

test.describe("an admin", () => {
  test.use({ role: "admin" });

  test("adds a webhook, sees a signed delivery arrive, redelivers it, sets escalation", async ({
    page,
    baseURL,
  }) => {
    const r = await receiver();
    try {
      const { key } = await createApiKeyInUi(page, "agent");
      await page.goto("/settings/account");
      await page
        .getByRole("navigation", { name: "Settings" })
        .getByRole("link", { name: "Webhooks" })
        .click();
      await expect(page).toHaveURL(/\/settings\/webhooks$/);

      // bad input: shown at the field
      await page.getByLabel("URL").fill("ftp://example.com/hook");
      await page.getByRole("button", { name: "Add webhook" }).click();
      await expect(page.getByText("URL must start with http:// or https://")).toBeVisible();
      await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");

      const agent = `e2e-hook-${Date.now()}`;
      await page.getByLabel("URL").fill(`${r.url}/hook`);
      await page.getByLabel("Agent id (optional)").fill(agent);
      await page.getByRole("button", { name: "Add webhook" }).click();
      const secretBox = page.getByLabel("Signing secret", { exact: true });
      await expect(secretBox).toHaveValue(/^whsec_/);
      const secret = await secretBox.inputValue();

      // an agent submits: the receiver gets a signed request.created
      const res = await fetch(`${baseURL}/api/v1/approvals`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          file_path: "src/hooked.ts",
          diff: "--- a/src/hooked.ts\n+++ b/src/hooked.ts\n@@ -1 +1 @@\n-a\n+b\n",
          agent_id: agent,
        }),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      await expect.poll(() => r.got.length, { timeout: 10_000 }).toBe(1);
      const event = new Webhook(secret).verify(
        r.got[0]!.body,
        r.got[0]!.headers as Record<string, string>,
      ) as { type: string; data: { id: string } };
      expect(event).toMatchObject({ type: "request.created", data: { id } });

      // the delivery is listed; Redeliver sends it again with the same webhook-id
      await page.reload();
      const hook = page.getByRole("listitem").filter({ hasText: `${r.url}/hook` });
      const row = hook.getByRole("row").filter({ hasText: "request.created" });
      await expect(row).toContainText("delivered");
      await expect(row).toContainText("HTTP 200");
      await row.getByRole("button", { name: /Redeliver/ }).click();
      await expect(row.getByRole("status")).toContainText("Queued again");
      await expect.poll(() => r.got.length, { timeout: 10_000 }).toBe(2);
      expect(r.got[1]!.headers["webhook-id"]).toBe(r.got[0]!.headers["webhook-id"]);

      // escalation
      await page.getByLabel("Minutes pending").fill("45");
      await page.getByRole("button", { name: "Save" }).click();
      await expect(
        page.getByText("Requests of all agents escalate after 45 minutes"),
      ).toBeVisible();
      await expect(page.getByRole("list", { name: "Escalation settings" })).toContainText(
        "All agents: after 45 minutes",
      );

      // remove it
      page.once("dialog", (d) => d.accept());
      await hook.getByRole("button", { name: `Remove the webhook ${r.url}/hook` }).click();
      await expect(page.getByText(`${r.url}/hook`)).toHaveCount(0);
    } finally {
      r.close();
    }
  });

  test("the page fits a 390 px wide phone", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/settings/webhooks");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("a viewer", () => {
  test.use({ role: "viewer" });
  test("gets 403 on /settings/webhooks and sees no link to it", async ({ page }) => {
    expect((await page.goto("/settings/webhooks"))?.status()).toBe(403);
    await page.goto("/settings/account");
    await expect(
      page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }),
    ).toHaveCount(0);
  });
});
