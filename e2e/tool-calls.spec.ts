import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createApiKeyInUi } from "./helpers/api-keys";

/*
 * Tool calls (what the Claude Code hook creates) in the dashboard: the inbox row, the
 * review page of an edit (a diff, honestly labelled) and of a command (the command up
 * front), and a decision that goes back through the API.
 */

test.use({ role: "admin" });

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

async function submit(request: APIRequestContext, key: string, body: Record<string, unknown>) {
  const res = await request.post("/api/v1/tool-calls", {
    headers: { authorization: `Bearer ${key}` },
    data: { agent_id: "claude-code", hook_event: "PreToolUse", ...body },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

test("a Bash call and an Edit: the command, the diff with its note, a reject with a reason", async ({
  page,
  request,
}) => {
  const { key } = await createApiKeyInUi(page, "agent");
  const tag = unique();
  const bash = await submit(request, key, {
    tool_name: "Bash",
    tool_input: { command: `rm -rf build-${tag} && npm run build`, description: "Clean build" },
    session_id: `sess-${tag}`,
    cwd: "/home/dev/app",
  });
  const edit = await submit(request, key, {
    tool_name: "Edit",
    tool_input: {
      file_path: `/home/dev/app/src/port-${tag}.ts`,
      old_string: "export const port = 3000;",
      new_string: "export const port = 8080;",
    },
    cwd: "/home/dev/app",
  });

  await page.goto("/?type=tool_call");
  const row = page.locator(`li[data-request-id="${bash.id}"]`);
  await expect(row).toContainText("tool call");
  await expect(row).toContainText(`rm -rf build-${tag} && npm run build`);
  await expect(row).toContainText("Bash: Clean build");

  await page.goto(new URL(bash.url).pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `rm -rf build-${tag} && npm run build`,
  );
  await expect(page.getByLabel("Command")).toHaveText(`rm -rf build-${tag} && npm run build`);
  await expect(page.getByText("Clean build", { exact: true })).toBeVisible();
  await expect(page.getByText(`sess-${tag}`)).toBeVisible();

  await page.goto(new URL(edit.url).pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `/home/dev/app/src/port-${tag}.ts`,
  );
  await expect(page.getByRole("note")).toContainText("line numbers count from the start");
  const diff = page.getByRole("region", { name: `Diff of src/port-${tag}.ts` });
  await expect(diff).toContainText("export const port = 8080;");

  // a reject needs a reason: the agent reads it
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("A comment is required to reject")).toBeVisible();
  await page.getByLabel("Comment").fill("Keep 3000; 8080 is taken");
  await page.getByRole("button", { name: "Reject" }).click();
  await page.waitForURL((url) => url.searchParams.get("done") === "rejected");

  const res = await request.get(`/api/v1/tool-calls/${edit.id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(await res.json()).toMatchObject({
    status: "rejected",
    comment: "Keep 3000; 8080 is taken",
    tool_name: "Edit",
  });
});
