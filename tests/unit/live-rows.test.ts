import { describe, expect, test } from "vitest";
import {
  CLOCK_SLACK_MS,
  rowFromEvent,
  rowFromListed,
  rowKey,
  stillAwaited,
} from "@/components/inbox/live-rows";

describe("an inbox row from a request announced live (docs/api.md list item)", () => {
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

describe("an inbox row straight from a request.created event", () => {
  test("a created approval's fields make the row, without reading it back", () => {
    expect(
      rowFromEvent({
        type: "request.created",
        request_type: "approval",
        id: "a2",
        agent_id: "bot",
        timestamp: "2026-11-26T10:00:00.000Z",
        expires_at: null,
        created_at: "2026-11-26T10:00:02.000Z",
        file_path: "src/app.ts",
        description: null,
      }),
    ).toEqual({
      row: {
        type: "approval",
        id: "a2",
        agentId: "bot",
        title: "src/app.ts",
        description: null,
        timestampMs: Date.UTC(2026, 10, 26, 10),
        expiresAtMs: null,
      },
      createdAtMs: Date.UTC(2026, 10, 26, 10, 0, 2),
    });
  });

  test("an event without the fields (an older server) or a decision makes no row", () => {
    const bare = { request_type: "question", id: "q2", agent_id: "bot" } as const;
    expect(rowFromEvent({ type: "request.created", ...bare })).toBeNull();
    const noStoredTime = { timestamp: "2026-11-26T10:00:00.000Z", question: "Which cache?" };
    expect(rowFromEvent({ type: "request.created", ...bare, ...noStoredTime })).toBeNull();
    expect(
      rowFromEvent({ type: "request.decided", ...bare, timestamp: "2026-11-26T10:00:00.000Z" }),
    ).toBeNull();
  });
});

describe("a row shown from a live event, next to the server's rows", () => {
  const created = Date.UTC(2026, 10, 27, 9);
  const row = {
    type: "approval" as const,
    id: "a9",
    agentId: "bot",
    title: "src/new.ts",
    description: null,
    timestampMs: created,
    expiresAtMs: null,
  };
  const added = { row, createdAtMs: created };

  test("stays while the server's rows were rendered before the request existed", () => {
    expect(stillAwaited(added, new Set(), created - 300)).toBe(true);
  });

  test("stays within the clock slack: the render may have started just before it", () => {
    expect(stillAwaited(added, new Set(), created + CLOCK_SLACK_MS - 1)).toBe(true);
  });

  test("goes once the server's rows include it (the server's copy is shown instead)", () => {
    expect(stillAwaited(added, new Set([rowKey(row)]), created - 300)).toBe(false);
  });

  test("goes when a render made well after it leaves it out (decided, or not in this view)", () => {
    expect(stillAwaited(added, new Set(), created + CLOCK_SLACK_MS)).toBe(false);
  });

  test("the agent's own timestamp does not count: a request stamped a day ago still shows", () => {
    const stampedEarlier = {
      row: { ...row, timestampMs: created - 86_400_000 },
      createdAtMs: created,
    };
    expect(stillAwaited(stampedEarlier, new Set(), created - 300)).toBe(true);
  });

  test("a question with the same id is a different row", () => {
    expect(stillAwaited(added, new Set([rowKey({ type: "question", id: "a9" })]), created)).toBe(
      true,
    );
  });
});
