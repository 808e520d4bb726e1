import { expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Browser notifications, the installable app and the review at phone width.
 * Notifications: the browser context grants the permission; an init script wraps
 * window.Notification to record what the page shows, and lets the test say when the tab
 * is hidden (a headless page is always "visible").
 */

declare global {
  interface Window {
    __notes: { title: string; body: string; tag: string; click(): void }[];
    __hidden: boolean;
  }
}

function recordNotifications() {
  window.__notes = [];
  window.__hidden = false;
  const Real = window.Notification;
  class Recorded {
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      const note = {
        title,
        body: options?.body ?? "",
        tag: options?.tag ?? "",
        click: () => this.onclick?.(),
      };
      window.__notes.push(note);
    }
    close() {}
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
  }
  Object.defineProperty(window, "Notification", { value: Recorded, configurable: true });
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => (window.__hidden ? "hidden" : "visible"),
  });
}

test.describe("browser notifications", () => {
  test.use({ role: "admin" });

  test("opt in, then a request that arrives while the tab is hidden is notified; clicking opens it", async ({
    page,
    context,
    baseURL,
  }) => {
    const { key } = await createApiKeyInUi(page, "agent");
    await context.grantPermissions(["notifications"], { origin: baseURL });
    await page.addInitScript(recordNotifications);

    await page.goto("/settings/account");
    const control = page.locator("[data-notify-state]");
    await expect(control).toHaveAttribute("data-notify-state", "off");
    await page.getByRole("button", { name: "Turn on notifications" }).click();
    await expect(control).toHaveAttribute("data-notify-state", "on");
    await expect(control.locator("p").first()).toContainText("Browser notifications: On:");

    await page.goto("/");
    await expect(page.locator("[data-live-status='live']")).toBeVisible();
    const submit = (file: string) =>
      page.request.post("/api/v1/approvals", {
        headers: { authorization: `Bearer ${key}` },
        data: {
          agent_id: "notify-agent",
          file_path: file,
          description: "Bump the retry limit",
          diff: `--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-a\n+b\n`,
        },
      });

    // visible tab: no notification (the inbox shows it)
    const seen = await submit("src/visible.ts");
    expect(seen.status()).toBe(201);
    await expect(page.getByText("src/visible.ts")).toBeVisible();
    expect(await page.evaluate(() => window.__notes.length)).toBe(0);

    // hidden tab: one notification naming the agent and the file
    await page.evaluate(() => {
      window.__hidden = true;
    });
    const res = await submit("src/hidden.ts");
    expect(res.status()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await expect.poll(() => page.evaluate(() => window.__notes.length)).toBe(1);
    const note = await page.evaluate(() => {
      const n = window.__notes[0]!;
      return { title: n.title, body: n.body, tag: n.tag };
    });
    expect(note.title).toBe("Approval from notify-agent");
    expect(note.body).toContain("src/hidden.ts");
    expect(note.body).toContain("Bump the retry limit");

    // the title and the favicon carry the pending count
    await expect(page).toHaveTitle(/^\(\d+\) Inbox · Nexus$/);
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector<HTMLLinkElement>("link[rel~='icon']")?.href),
      )
      .toMatch(/^data:image\/png;base64,/);

    await page.evaluate(() => {
      window.__hidden = false;
      window.__notes[0]!.click();
    });
    await expect(page).toHaveURL(new RegExp(`/approvals/${id}$`));
    await expect(page.getByRole("heading", { name: "src/hidden.ts", level: 1 })).toBeVisible();
    // the title keeps the count on other pages too
    await expect(page).toHaveTitle(/^\(\d+\) Review src\/hidden\.ts · Nexus$/);

    // turned off: nothing more
    await page.goto("/settings/account");
    await page.getByRole("button", { name: "Turn off notifications" }).click();
    await expect(control).toHaveAttribute("data-notify-state", "off");
  });

  test("a browser that refused notifications says so", async ({ page, context, baseURL }) => {
    await context.clearPermissions();
    await page.addInitScript(() => {
      Object.defineProperty(window.Notification, "permission", { get: () => "denied" });
    });
    await page.goto("/settings/account");
    void baseURL;
    await expect(page.locator("[data-notify-state]")).toHaveAttribute(
      "data-notify-state",
      "denied",
    );
    await expect(page.getByText("Blocked")).toBeVisible();
    await expect(page.getByRole("button", { name: "Turn on notifications" })).toHaveCount(0);
  });
});

test("the web app manifest is served and describes an installable app", async ({ page }) => {
  await page.goto("/");
  const href = await page.locator("link[rel='manifest']").getAttribute("href");
  expect(href).toBeTruthy();
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = (await res.json()) as {
    name: string;
    start_url: string;
    display: string;
    theme_color: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({ name: "Nexus", start_url: "/", display: "standalone" });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const sizes = manifest.icons.map((i) => `${i.sizes}:${i.purpose ?? "any"}`);
  expect(sizes).toEqual(expect.arrayContaining(["192x192:any", "512x512:any", "512x512:maskable"]));
  for (const icon of manifest.icons) {
    // anonymous too: the browser fetches icons without the session
    const img = await page.request.get(icon.src, { headers: { cookie: "" } });
    expect(img.status(), icon.src).toBe(200);
    expect(img.headers()["content-type"]).toBe("image/png");
    const png = await img.body();
    // PNG header, then the IHDR width and height
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const [w, h] = icon.sizes.split("x").map(Number);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
  }
});

test.describe("review at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("unified diff by default, the decision before the diff and a bar back to it, no sideways page", async ({
    page,
  }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "src/cache/lru.ts" }).first().click();
    await expect(page.getByRole("heading", { name: "src/cache/lru.ts", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Unified" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(page.locator("[data-viewer='ready']").first()).toBeVisible();

    // the decision box comes before the diff, within the first screens
    const decision = page.locator("#decision");
    const diff = page.getByRole("region", { name: "Diff of src/cache/lru.ts" });
    const [boxTop, diffTop] = await Promise.all([
      decision.evaluate((el) => el.getBoundingClientRect().top),
      diff.evaluate((el) => el.getBoundingClientRect().top),
    ]);
    expect(boxTop).toBeLessThan(diffTop);

    // touch targets
    for (const name of ["Approve", "Reject", "Unified", "Split"]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      expect(box!.height, name).toBeGreaterThanOrEqual(44);
    }

    // nothing wider than the screen; the code keeps its lines and scrolls in its box
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    const wrap = await diff
      .locator("td[data-code]")
      .first()
      .evaluate((el) => getComputedStyle(el).whiteSpace);
    expect(wrap).toBe("pre");

    // read down the diff, then the bar brings the decision back
    await diff.scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 600);
    const bar = page.getByTestId("decide-bar");
    await expect(bar).toBeVisible();
    await bar.tap();
    await expect(page.getByLabel("Comment")).toBeFocused();
    await expect(decision).toBeInViewport();
    await page.screenshot({ path: "test-results/phone-approval.png" });
  });

  test("the inbox fits the screen", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: "test-results/phone-inbox.png", fullPage: true });
  });
});

test("a reviewer chooses email: a digest every N minutes, checked and kept", async ({ page }) => {
  await page.goto("/settings/account");
  await expect(page.getByRole("heading", { name: "Email", exact: true })).toBeVisible();
  await page.getByRole("radio", { name: /A digest/ }).check();
  await page.getByLabel("Digest every (minutes)").fill("3");
  await page.getByRole("button", { name: "Save email choice" }).click();
  await expect(page.getByText("At least 5 minutes")).toBeVisible();
  await expect(page.getByRole("radio", { name: /A digest/ })).toBeChecked();
  await page.getByLabel("Digest every (minutes)").fill("30");
  await page.getByRole("button", { name: "Save email choice" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("radio", { name: /A digest/ })).toBeChecked();
  await expect(page.getByLabel("Digest every (minutes)")).toHaveValue("30");
  await page.getByRole("radio", { name: "No email" }).check();
  await page.getByRole("button", { name: "Save email choice" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
});
