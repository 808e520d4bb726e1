import type { APIRequestContext, Page } from "@playwright/test";
import { GitRepo } from "../tests/helpers/git-repo";
import { expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Per-hunk review in the browser: accept and reject hunks by mouse and keyboard, edit a
 * line of an accepted hunk, comment on another line, approve in part, and what the
 * agent's long poll then returns: an applied_diff that `git apply` turns into exactly the
 * reviewed content, and the comment. Admin: it
 * creates the agent key it submits with. Every approval made here is decided here (the
 * specs after this one count pending requests).
 */
test.use({ role: "admin" });

let agentKey = "";

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
const text = (l: string[]) => `${l.join("\n")}\n`;

/** calc.txt, 30 lines, with three hunks: lines 2, 15 and 28 changed. */
function threeHunkChange() {
  const next = lines(30);
  next[1] = "two (agent)";
  next[14] = "fifteen (agent)";
  next[27] = "twenty-eight (agent)";
  const repo = new GitRepo({ "calc.txt": text(lines(30)) });
  return { repo, diff: repo.diffTo({ "calc.txt": text(next) }) };
}

async function submit(request: APIRequestContext, diff: string) {
  const res = await request.post("/api/v1/approvals", {
    headers: { Authorization: `Bearer ${agentKey}` },
    data: { file_path: "calc.txt", diff, agent_id: "hunks-e2e", description: "three hunks" },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const hunk = (page: Page, index: number) => page.locator(`div[data-hunk="calc.txt#${index}"]`);

test.beforeEach(async ({ page }) => {
  if (!agentKey) agentKey = (await createApiKeyInUi(page, "agent")).key;
});

test("accept 2 of 3 hunks, edit a line, comment on another, approve in part: the agent's applied_diff gives exactly the reviewed file", async ({
  page,
  request,
}) => {
  const { repo, diff } = threeHunkChange();
  try {
    const id = await submit(request, diff);
    // the agent waits for the decision meanwhile (long poll)
    const poll = request.get(`/api/v1/approvals/${id}?wait=50`, {
      headers: { Authorization: `Bearer ${agentKey}` },
      timeout: 60_000,
    });
    await page.goto(`/approvals/${id}`);
    await expect(hunk(page, 2)).toBeVisible();
    await expect(page.getByTestId("hunk-summary")).toHaveText("3 of 3 hunks kept.");

    // mouse: reject the middle hunk with a note
    await hunk(page, 1).getByRole("button", { name: "Drop" }).click();
    await expect(hunk(page, 1).getByRole("button", { name: "Drop" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await hunk(page, 1).getByLabel("Why (optional)").fill("keep fifteen as it is");

    // edit one line of the last (accepted) hunk
    await hunk(page, 2).getByRole("button", { name: "Edit" }).click();
    const editor = hunk(page, 2).getByRole("textbox");
    await expect(editor).toBeFocused();
    const edited = (await editor.inputValue()).replace(
      "twenty-eight (agent)",
      "twenty-eight (reviewed)",
    );
    await editor.fill(edited);
    await expect(hunk(page, 2)).toContainText("edited");
    await expect(page.getByTestId("hunk-summary")).toHaveText(
      "2 of 3 hunks kept, 1 edited. Approving approves them in part.",
    );

    // comment on another line: the first hunk's new line 2
    const diffRegion = page.getByRole("region", { name: "Diff of calc.txt" });
    await diffRegion.locator('[data-viewer="ready"] td[data-side="new"][data-line="2"]').click();
    const composer = page.getByRole("group", { name: "New comment on calc.txt" });
    await composer.getByLabel("Comment", { exact: true }).fill("Spell it out next time");
    await composer.getByRole("button", { name: "Add comment" }).click();
    await expect(
      diffRegion.getByRole("article", { name: "Draft comment on calc.txt:2 (new)" }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Approve in part" }).click();
    await expect(page.getByRole("main").getByRole("status")).toBeVisible();

    const answer = await poll;
    const body = (await answer.json()) as {
      status: string;
      partial: boolean;
      edited: boolean;
      applied_diff: string;
      hunks: { index: number; accepted: boolean; note: string | null; edited: boolean }[];
      comments: unknown[];
    };
    expect(body).toMatchObject({ status: "approved", partial: true, edited: true });
    expect(body.comments).toEqual([
      expect.objectContaining({
        file_path: "calc.txt",
        side: "new",
        line: 2,
        body: "Spell it out next time",
      }),
    ]);
    expect(body.hunks.map((h) => [h.index, h.accepted, h.note, h.edited])).toEqual([
      [0, true, null, false],
      [1, false, "keep fifteen as it is", false],
      [2, true, null, true],
    ]);
    repo.apply(body.applied_diff);
    const expected = lines(30);
    expected[1] = "two (agent)";
    expected[27] = "twenty-eight (reviewed)";
    expect(repo.read("calc.txt")).toBe(text(expected));

    // the decided page: approved in part, the diff as submitted and as applied
    await page.goto(`/approvals/${id}`);
    await expect(page.getByRole("heading", { name: /^Approved in part by / })).toBeVisible();
    await expect(page.getByText("2 of 3 hunks accepted, edited by the reviewer")).toBeVisible();
    await expect(page.getByRole("heading", { name: "As submitted" })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^As applied/ })).toBeVisible();
    await expect(page.getByRole("list", { name: "Hunk decisions" })).toContainText(
      "keep fifteen as it is",
    );

    // the history says so
    await page.goto("/history?agent=hunks-e2e");
    const row = page.getByRole("row", { name: /calc\.txt/ }).first();
    await expect(row).toContainText("approved in part");
    await expect(row).toContainText("edited");
  } finally {
    repo.remove();
  }
});

test("keyboard: j/k move between hunks, n rejects, y accepts, N and Y decide the whole file", async ({
  page,
  request,
}) => {
  const { repo, diff } = threeHunkChange();
  repo.remove();
  const id = await submit(request, diff);
  await page.goto(`/approvals/${id}`);
  await expect(hunk(page, 0)).toBeVisible();
  const pressed = (index: number, name: "Keep" | "Drop") =>
    expect(hunk(page, index).getByRole("button", { name })).toHaveAttribute("aria-pressed", "true");

  await page.keyboard.press("j");
  await expect(hunk(page, 0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(hunk(page, 1)).toBeFocused();
  await page.keyboard.press("n");
  await pressed(1, "Drop");
  await page.keyboard.press("j");
  await page.keyboard.press("n");
  await pressed(2, "Drop");
  await page.keyboard.press("k");
  await expect(hunk(page, 1)).toBeFocused();
  await page.keyboard.press("y");
  await pressed(1, "Keep");
  await expect(page.getByTestId("hunk-summary")).toHaveText(
    "2 of 3 hunks kept. Approving approves them in part.",
  );
  await page.keyboard.press("Shift+N");
  for (const i of [0, 1, 2]) await pressed(i, "Drop");
  await page.keyboard.press("Shift+Y");
  for (const i of [0, 1, 2]) await pressed(i, "Keep");
  // e opens the editor of the focused hunk; Esc leaves it for the row
  await page.keyboard.press("e");
  await expect(hunk(page, 1).getByRole("textbox")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(hunk(page, 1)).toBeFocused();
  // the ? dialog lists the hunk keys
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText(
    "Keep (accept) / drop (reject) the hunk",
  );
  await page.keyboard.press("Escape");

  // rejecting every hunk and approving is refused with a clear message; nothing is lost
  await page.keyboard.press("Shift+N");
  await page.getByRole("button", { name: "Approve in part" }).click();
  await expect(page.locator("#decision").getByRole("alert")).toContainText(
    "Every hunk is rejected",
  );
  await pressed(0, "Drop");

  // then reject the whole request (a comment is required): it leaves nothing pending
  await page.getByLabel("Comment").fill("not this time");
  await page.locator("#decision").getByRole("button", { name: "Reject", exact: true }).click();
  await expect(page.getByRole("main").getByRole("status")).toBeVisible();
  const res = await request.get(`/api/v1/approvals/${id}`, {
    headers: { Authorization: `Bearer ${agentKey}` },
  });
  expect(await res.json()).toMatchObject({ status: "rejected", applied_diff: null });
});
