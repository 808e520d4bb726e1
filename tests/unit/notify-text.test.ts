import { describe, expect, it } from "vitest";
import { badgeText, notificationFor, withCount } from "@/components/live/title";
import { digestMail, escapeHtml, requestMail, type MailEvent } from "@/lib/email/render";

describe("tab title and badge", () => {
  it("puts the pending count in front of any title, replacing an earlier one", () => {
    expect(withCount("Inbox · Nexus", 3)).toBe("(3) Inbox · Nexus");
    expect(withCount("(3) Inbox · Nexus", 4)).toBe("(4) Inbox · Nexus");
    expect(withCount("(3) Review a.ts · Nexus", 0)).toBe("Review a.ts · Nexus");
    expect(withCount("(2) Inbox · Nexus", 2)).toBe("(2) Inbox · Nexus");
  });
  it("caps the badge at 99+", () => {
    expect(badgeText(7)).toBe("7");
    expect(badgeText(99)).toBe("99");
    expect(badgeText(100)).toBe("99+");
  });
});

describe("notification text", () => {
  it("names the agent and the file of an approval, the question of a question", () => {
    expect(
      notificationFor({
        type: "request.created",
        request_type: "approval",
        id: "x",
        agent_id: "bot",
        file_path: "src/a.ts",
        description: "Fix it",
      }),
    ).toEqual({ title: "Approval from bot", body: "src/a.ts\nFix it" });
    expect(
      notificationFor({
        type: "request.created",
        request_type: "question",
        id: "y",
        agent_id: "bot",
        question: "Deploy now?",
      }),
    ).toEqual({ title: "Question from bot", body: "Deploy now?" });
  });
});

const event = (over: Partial<MailEvent["data"]> = {}, type = "request.created"): MailEvent => ({
  type,
  data: {
    id: "11111111-1111-4111-8111-111111111111",
    kind: "approval",
    agent_id: "bot",
    path: "/approvals/11111111-1111-4111-8111-111111111111",
    created_at: "2026-12-01T10:00:00.000Z",
    summary: { file_path: "src/a.ts", description: "Fix <b>it</b>" },
    ...over,
  },
});

describe("emails", () => {
  it("one request: subject, link from the public URL, text and escaped HTML", () => {
    const m = requestMail(event(), "https://nexus.example.com/");
    expect(m.subject).toBe("[Nexus] Approval from bot: src/a.ts");
    expect(m.text).toContain(
      "Open: https://nexus.example.com/approvals/11111111-1111-4111-8111-111111111111",
    );
    expect(m.text).toContain("Fix <b>it</b>");
    expect(m.html).toContain("Fix &lt;b&gt;it&lt;/b&gt;");
    expect(m.html).not.toContain("<b>it</b>");
    // no external assets: the only URLs are the links to this Nexus
    expect(m.html).not.toMatch(/<img|<link|src=|url\(/i);
  });
  it("subjects stay on one line (no header injection from an agent's text)", () => {
    const m = requestMail(
      event({ summary: { file_path: "a.ts\r\nBcc: evil@example.com" } }),
      "http://x",
    );
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
  it("an escalation says how long it has waited", () => {
    const m = requestMail(event({ escalated_after_minutes: 30 }, "request.escalated"), "http://x");
    expect(m.subject).toMatch(/^\[Nexus\] Still waiting: Approval from bot/);
    expect(m.text).toContain("after 30 minutes");
  });
  it("a digest lists every request with its link", () => {
    const q = event({
      id: "22222222-2222-4222-8222-222222222222",
      kind: "question",
      path: "/questions/22222222-2222-4222-8222-222222222222",
      summary: { question: "Ship it?" },
    });
    const m = digestMail([event(), q], "http://nexus.local");
    expect(m.subject).toBe("[Nexus] 2 new requests waiting");
    expect(m.text).toContain("http://nexus.local/approvals/11111111-1111-4111-8111-111111111111");
    expect(m.text).toContain("http://nexus.local/questions/22222222-2222-4222-8222-222222222222");
    expect(m.text).toContain("Question from bot\nShip it?");
  });
  it("escapes everything HTML treats specially", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });
});
