import type { APIRequestContext, Page } from "@playwright/test";
import { createApiKeyInUi } from "./helpers/api-keys";
import { expect, test } from "./fixtures";

/*
 * Inline comments and revisions against the shared e2e server: the requests are this
 * spec's own (agent "revisions-e2e"), created through the API with keys made in the UI.
 * Runs after the specs that count the seeded requests (file order).
 */

test.use({ role: "admin" });

const FILE = "src/revise/a.ts";
const DIFF = `--- a/${FILE}
+++ b/${FILE}
@@ -10,4 +10,4 @@
 ten
-eleven
+ELEVEN
 twelve
 thirteen
@@ -40,3 +40,3 @@ function forty() {
 forty
-forty-one
+FORTY-ONE
 forty-two
`;

async function submit(api: APIRequestContext, key: string, data: Record<string, unknown> = {}) {
  const res = await api.post("/api/v1/approvals", {
    headers: { authorization: `Bearer ${key}` },
    data: { agent_id: "revisions-e2e", file_path: FILE, diff: DIFF, ...data },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function viewerReady(page: Page) {
  await expect(
    page
      .getByRole("region", { name: `Diff of ${FILE}` })
      .first()
      .locator('[data-viewer="ready"]'),
  ).toBeVisible();
}

test("comment on lines by mouse and by keyboard, reject with inline comments only; the agent's long poll gets them", async ({
  page,
}) => {
  const { key } = await createApiKeyInUi(page, "agent");
  const id = await submit(page.request, key);
  const poll = page.request.get(`/api/v1/approvals/${id}?wait=60`, {
    headers: { authorization: `Bearer ${key}` },
    timeout: 70_000,
  });

  await page.goto(`/approvals/${id}`);
  await viewerReady(page);
  const diff = page.getByRole("region", { name: `Diff of ${FILE}` });

  // mouse: click the new line number 11, write, add
  await diff.locator('[data-viewer="ready"] td[data-side="new"][data-line="11"]').click();
  const composer = page.getByRole("group", { name: `New comment on ${FILE}` });
  await composer.getByLabel("Comment", { exact: true }).fill("Keep it lower case");
  await composer.getByRole("button", { name: "Add comment" }).click();
  const draft = diff.getByRole("article", { name: `Draft comment on ${FILE}:11 (new)` });
  await expect(draft).toBeVisible();
  // shown inline: in a row right under line 11
  await expect(
    diff
      .locator('[data-viewer="ready"] tr[data-comment-row="new:11"]')
      .getByText("Keep it lower case"),
  ).toBeVisible();

  // keyboard only: the file's "Comment on a line" button, the line, Tab, the text, Ctrl+Enter
  await diff.getByRole("button", { name: `Comment on a line of ${FILE}` }).focus();
  await page.keyboard.press("Enter");
  await expect(composer.getByLabel("Line", { exact: true })).toBeFocused();
  await page.keyboard.type("40");
  await page.keyboard.press("Tab");
  await page.keyboard.type("41");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Old lines 40-41: why change these?");
  await page.keyboard.press("Control+Enter");
  await expect(composer).toHaveCount(0);
  await expect(
    diff.getByRole("article", { name: `Draft comment on ${FILE}:40-41 (new)` }),
  ).toBeVisible();

  // a line outside the hunks is refused in place, nothing typed is lost
  await diff.getByRole("button", { name: `Comment on a line of ${FILE}` }).click();
  await composer.getByLabel("Line", { exact: true }).fill("25");
  await composer.getByLabel("Comment", { exact: true }).fill("not in the diff");
  await composer.getByRole("button", { name: "Add comment" }).click();
  await expect(composer.getByRole("alert")).toContainText("has no new line 25");
  await expect(composer.getByLabel("Comment", { exact: true })).toHaveValue("not in the diff");
  await composer.getByRole("button", { name: "Cancel" }).click();

  // request changes: reject with the inline comments and no overall comment
  await expect(page.getByText("2 inline comments are sent with your decision")).toBeVisible();
  await page.getByRole("button", { name: "Reject" }).click();
  await page.waitForURL((url) => !url.pathname.endsWith(id));

  const answer = await poll;
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({
    status: "rejected",
    comment: null,
    comments: [
      { file_path: FILE, side: "new", line: 11, body: "Keep it lower case" },
      {
        file_path: FILE,
        side: "new",
        line: 40,
        end_line: 41,
        body: "Old lines 40-41: why change these?",
      },
    ],
  });

  // the decided page shows them inline, read-only
  await page.goto(`/approvals/${id}`);
  const decided = page.getByRole("region", { name: `Diff of ${FILE}` });
  await expect(
    decided.getByRole("article", { name: `Comment on ${FILE}:11 (new)` }).first(),
  ).toBeVisible();
  await expect(decided.getByRole("button", { name: /Comment on a line/ })).toHaveCount(0);
});

test("a revision links to its predecessor, with its decision and comments, and shows what changed since", async ({
  page,
}) => {
  const { key } = await createApiKeyInUi(page, "agent");
  const reviewer = await createApiKeyInUi(page, "reviewer");
  const first = await submit(page.request, key);
  const rejected = await page.request.post(`/api/v1/approvals/${first}/decision`, {
    headers: { authorization: `Bearer ${reviewer.key}` },
    data: {
      approved: false,
      comments: [{ file_path: FILE, side: "new", line: 11, body: "Keep it lower case" }],
    },
  });
  expect(rejected.status()).toBe(200);
  const second = await submit(page.request, key, {
    supersedes: first,
    diff: DIFF.replace("+ELEVEN", "+eleven, reworded"),
  });

  await page.goto(`/approvals/${second}`);
  const panel = page.getByRole("region", { name: "Revision 2 of 2" });
  await expect(panel).toBeVisible();
  const earlier = panel.getByRole("listitem").filter({ hasText: "Revision 1" });
  await expect(earlier.getByText("rejected")).toBeVisible();
  await expect(earlier.getByText("Keep it lower case")).toBeVisible();

  const since = page.getByRole("region", { name: "Changes since revision 1" });
  await expect(since).toBeVisible();
  const changes = since.getByRole("region", { name: `Diff of ${FILE}` });
  await expect(changes.locator("tr", { hasText: "eleven, reworded" }).first()).toBeVisible();
  // only what changed between the revisions: the second hunk is the same in both
  await expect(changes.locator("tr", { hasText: "FORTY-ONE" })).toHaveCount(0);

  // the link leads back, and the first one links forward
  await earlier.getByRole("link", { name: "Revision 1" }).click();
  await page.waitForURL(new RegExp(`/approvals/${first}$`));
  await expect(page.getByRole("region", { name: "Revision 1 of 2" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Revision 2" })).toBeVisible();
});

test("a pending approval that is revised becomes superseded, out of the inbox", async ({
  page,
}) => {
  const { key } = await createApiKeyInUi(page, "agent");
  const first = await submit(page.request, key, { description: "to be revised" });
  await page.goto(`/approvals/${first}`);
  await expect(page.getByRole("button", { name: "Reject" })).toBeVisible();
  const second = await submit(page.request, key, {
    supersedes: first,
    diff: DIFF.replace("+FORTY-ONE", "+forty-one!"),
  });
  await page.reload();
  await expect(
    page.getByRole("heading", {
      name: "Superseded: the agent sent a revision before anyone decided",
    }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await page.getByRole("link", { name: "Review the revision" }).click();
  await page.waitForURL(new RegExp(`/approvals/${second}$`));
  await page.goto("/history?outcome=superseded");
  await expect(page.getByRole("link", { name: FILE }).first()).toBeVisible();
});
