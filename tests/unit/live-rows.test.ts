import { describe, expect, test } from "vitest";
import { rowFromListed } from "@/components/inbox/live-rows";

describe("an inbox row from a request announced live (api.md list item)", () => {
  test("an approval shows its file path and description, with times as epoch ms", () => {
    expect(
      rowFromListed("approval", {
        id: "a1",
        status: "pending",
        agent_id: "bot",
        timestamp: "2026-11-26T10:00:00.000Z",
        expires_at: "2026-11-26T11:00:00.000Z",
        file_path: "src/app.ts",
        description: "why",
      }),
    ).toEqual({
      type: "approval",
      id: "a1",
      agentId: "bot",
      title: "src/app.ts",
      description: "why",
      timestampMs: Date.UTC(2026, 10, 26, 10),
      expiresAtMs: Date.UTC(2026, 10, 26, 11),
    });
  });

  test("a question shows its text, no description, and no expiry when there is none", () => {
    expect(
      rowFromListed("question", {
        id: "q1",
        status: "pending",
        agent_id: "architect",
        timestamp: "2026-11-26T10:00:00.000Z",
        expires_at: null,
        question: "Which cache?",
      }),
    ).toMatchObject({
      type: "question",
      title: "Which cache?",
      description: null,
      expiresAtMs: null,
    });
  });
});
