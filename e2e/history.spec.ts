import fs from "node:fs";
import { expect, test } from "./fixtures";

const APPROVAL_COLUMNS =
  "id,file_path,diff,description,agent_id,timestamp,approved,approved_at,created_at,comment,decided_by,expires_at,submitted_key_id,required_approvals,approval_count,rule_name,routed_to,on_expiry,escalate_after_s,hunk_decisions,applied_diff,edited,inline_comments,supersedes,revision,superseded_by,submitted_by";

test("history lists decided requests newest first, with outcome, reviewer and response time", async ({
  page,
}) => {
  await page.goto("/history");
  const rows = page.getByRole("table").getByRole("row");
  // header + the demo seed's 5 decided approvals and 3 answers + 5 edge cases (from 2019)
  await expect(rows).toHaveCount(1 + 13);
  await expect(rows.nth(1)).toContainText("src/cache/lru.ts");
  await expect(rows.nth(1)).toContainText("approved");
  await expect(rows.nth(1)).toContainText("by demo-reviewer@example.com");
  await expect(rows.nth(1)).toContainText("2 min");
  await expect(page.getByRole("link", { name: "src/cache/lru.ts" })).toHaveAttribute(
    "href",
    /^\/approvals\/[0-9a-f-]{36}$/,
  );
});

test("filters and search are in the URL; % is matched literally", async ({ page }) => {
  await page.goto("/history");
  await page.getByLabel("Outcome").selectOption("rejected");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/outcome=rejected/);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(1 + 2);
  await expect(page.getByRole("table")).toContainText("Please add a test");

  await page.goto("/history?type=question&q=CACHE");
  await expect(rows).toHaveCount(1 + 1);
  await expect(page.getByLabel("Search")).toHaveValue("CACHE");

  await page.goto("/history?q=100%25");
  await expect(page.getByText("Nothing in the history matches these filters.")).toBeVisible();

  await page.goto("/history?agent=refactor-bot&from=2000-01-01&to=2999-12-31");
  await expect(rows).toHaveCount(1 + 2);

  await page.goto("/history?type=bogus&from=2026-13-01");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    'Unknown type "bogus" ignored',
  );
  await expect(rows).toHaveCount(1 + 13);
});

test("Older/Newer pages visit every entry exactly once", async ({ page }) => {
  await page.goto("/history?per=3");
  const links = page.getByRole("table").getByRole("link");
  const seen: string[] = [];
  const pages: string[][] = [];
  for (;;) {
    await expect(links.first()).toBeVisible();
    const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
    pages.push(hrefs);
    seen.push(...hrefs);
    const older = page.getByRole("link", { name: "Older →" });
    if ((await older.count()) === 0) break;
    await older.click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(links.first()).not.toHaveAttribute("href", hrefs[0]!);
  }
  expect(seen).toHaveLength(13);
  expect(new Set(seen).size).toBe(13);
  expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3, 1]);
  for (let i = pages.length - 2; i >= 0; i--) {
    await page.getByRole("link", { name: "← Newer" }).click();
    await expect(links.first()).toHaveAttribute("href", pages[i]![0]!);
  }
  await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
});

test("exports the filtered set as CSV and JSON downloads", async ({ page }) => {
  await page.goto("/history?outcome=approved");
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Approvals CSV" }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^nexus-approvals-\d{4}-\d\d-\d\d\.csv$/);
  const csv = fs.readFileSync((await csvDownload.path())!, "utf8");
  expect(csv.split("\n")[0]).toBe(APPROVAL_COLUMNS);
  expect(csv).toContain("src/cache/lru.ts");
  expect(csv).not.toContain("services/billing/invoice.py"); // rejected: filtered out
  expect(csv).toMatch(/,t,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Approvals JSON" }).click(),
  ]);
  const json = JSON.parse(fs.readFileSync((await jsonDownload.path())!, "utf8")) as Record<
    string,
    unknown
  >[];
  expect(json).toHaveLength(3 + 4); // demo approvals approved + the 4 edge-case approvals
  expect(Object.keys(json[0]!).join(",")).toBe(APPROVAL_COLUMNS);
  expect(json.every((r) => r.approved === true)).toBe(true);
});

test("an export without one type is refused with a clear message", async ({ request }) => {
  const res = await request.get("/history/export?format=csv");
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toMatch(
    /type=approval, type=question or type=tool_call/,
  );
  const bad = await request.get("/history/export?format=xml&type=approval");
  expect(bad.status()).toBe(400);
});
