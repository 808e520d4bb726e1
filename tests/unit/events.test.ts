import { describe, expect, it } from "vitest";
import { createdEvent, PREVIEW_CHARS, preview, previewLabels } from "@/db/events";
import {
  MAX_AGENT_ID,
  MAX_FILE_PATH,
  MAX_OPTION_LABEL,
  MAX_OPTIONS,
  MAX_TEXT,
  MAX_TOOL_NAME,
} from "@/lib/api/schemas";

const at = new Date("2026-11-26T12:00:00.000Z");
const stored = new Date("2026-11-26T12:00:01.500Z");

describe("request.created carries what an inbox row shows", () => {
  it("an approval: path, description, times; no diff", () => {
    const ev = createdEvent({
      type: "approval",
      row: {
        id: "0f749aa6-4cf5-4fb4-8710-09dd082e4ad7",
        agentId: "bot",
        timestamp: at,
        expiresAt: null,
        createdAt: stored,
        filePath: "src/a.ts",
        description: null,
      },
    });
    expect(ev).toEqual({
      type: "request.created",
      request_type: "approval",
      id: "0f749aa6-4cf5-4fb4-8710-09dd082e4ad7",
      agent_id: "bot",
      timestamp: "2026-11-26T12:00:00.000Z",
      expires_at: null,
      created_at: "2026-11-26T12:00:01.500Z",
      file_path: "src/a.ts",
      description: null,
    });
  });

  it("texts longer than the preview are cut by code point and end in …", () => {
    expect(preview("short")).toBe("short");
    const exact = "x".repeat(PREVIEW_CHARS);
    expect(preview(exact)).toBe(exact);
    const emoji = "😀".repeat(PREVIEW_CHARS + 5);
    const cut = preview(emoji);
    expect(Array.from(cut)).toHaveLength(PREVIEW_CHARS);
    expect(cut.endsWith("😀…")).toBe(true); // no half surrogate pair
    const fits = "😀".repeat(PREVIEW_CHARS); // 600 UTF-16 units, 300 code points
    expect(preview(fits)).toBe(fits);
    expect(preview(`${fits}x`)).toBe(`${"😀".repeat(PREVIEW_CHARS - 1)}…`);
  });

  it("the worst-case payload fits PostgreSQL's 8,000-byte NOTIFY limit", () => {
    const escaped = "\u0001"; // JSON.stringify writes six bytes for it
    const ev = createdEvent({
      type: "approval",
      row: {
        id: "0f749aa6-4cf5-4fb4-8710-09dd082e4ad7",
        agentId: escaped.repeat(MAX_AGENT_ID),
        timestamp: at,
        expiresAt: at,
        createdAt: at,
        filePath: escaped.repeat(MAX_FILE_PATH),
        description: escaped.repeat(100_000),
      },
    });
    expect(Buffer.byteLength(JSON.stringify(ev))).toBeLessThan(8000);
  });

  it("a question's options: whole while they fit 300 characters, then the next one cut", () => {
    expect(previewLabels(null)).toBeNull();
    expect(previewLabels(["Yes", "No"])).toEqual(["Yes", "No"]);
    const long = Array.from({ length: 4 }, (_, i) => `${i}`.repeat(MAX_OPTION_LABEL));
    const cut = previewLabels(long)!;
    expect(cut).toHaveLength(2);
    expect(cut[0]).toBe(long[0]);
    expect(cut[1]).toBe(`${"1".repeat(PREVIEW_CHARS - MAX_OPTION_LABEL - 1)}…`);
    expect(cut.join("").length).toBe(PREVIEW_CHARS);
  });

  it("the worst-case question payload, with 20 long options, fits the NOTIFY limit too", () => {
    const escaped = "\u0001";
    const ev = createdEvent({
      type: "question",
      row: {
        id: "0f749aa6-4cf5-4fb4-8710-09dd082e4ad7",
        agentId: escaped.repeat(MAX_AGENT_ID),
        timestamp: at,
        expiresAt: at,
        createdAt: at,
        question: escaped.repeat(MAX_TEXT),
        options: Array.from({ length: MAX_OPTIONS }, (_, i) =>
          `${i}`.padEnd(MAX_OPTION_LABEL, escaped),
        ),
      },
    });
    expect(ev.options!.length).toBeGreaterThan(1);
    expect(Buffer.byteLength(JSON.stringify(ev))).toBeLessThan(8000);
  });

  it("a tool call's worst case fits too (tool name, title, description)", () => {
    const escaped = "\u0001";
    const ev = createdEvent({
      type: "tool_call",
      row: {
        id: "0f749aa6-4cf5-4fb4-8710-09dd082e4ad7",
        agentId: escaped.repeat(MAX_AGENT_ID),
        timestamp: at,
        expiresAt: at,
        createdAt: at,
        toolName: escaped.repeat(MAX_TOOL_NAME),
        title: escaped.repeat(MAX_FILE_PATH),
        description: escaped.repeat(100_000),
      },
    });
    expect(ev.tool_name).toHaveLength(MAX_TOOL_NAME);
    expect(Buffer.byteLength(JSON.stringify(ev))).toBeLessThan(8000);
  });
});
