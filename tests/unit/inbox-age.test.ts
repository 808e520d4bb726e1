import { describe, expect, test } from "vitest";
import { nextBackoffMs } from "@/components/live/backoff";
import { pendingTitle } from "@/components/live/title";
import { expiryLabel, formatAge, msUntilNextExpiry, waitingLabel } from "@/lib/inbox/age";
import { parseInboxParams } from "@/lib/inbox/params";

const MIN = 60_000;

describe("inbox ages", () => {
  test("minute-grained, never negative", () => {
    expect(formatAge(-5000)).toBe("less than 1 min");
    expect(formatAge(59_999)).toBe("less than 1 min");
    expect(formatAge(3 * MIN + 59_000)).toBe("3 min");
    expect(formatAge(60 * MIN)).toBe("1 h");
    expect(formatAge(125 * MIN)).toBe("2 h 5 min");
    expect(formatAge(24 * 60 * MIN)).toBe("1 d");
    expect(formatAge((49 * 60 + 10) * MIN)).toBe("2 d 1 h");
  });

  test("labels are computed from the reference time passed in", () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(waitingLabel(now - 3 * MIN, now)).toBe("waiting 3 min");
    expect(waitingLabel(now - 3 * MIN, now + 30_000)).toBe("waiting 3 min");
    expect(waitingLabel(now - 3 * MIN, now + 60_000)).toBe("waiting 4 min");
    expect(expiryLabel(null, now)).toBeNull();
    expect(expiryLabel(now + 12 * MIN + 5000, now)).toBe("expires in 12 min");
    expect(expiryLabel(now, now)).toBe("expired");
  });

  test("the next deadline is the nearest future one", () => {
    expect(msUntilNextExpiry([null, 500, 200, 50], 100)).toBe(100);
    expect(msUntilNextExpiry([null, 50], 100)).toBeNull();
  });
});

describe("inbox URL state", () => {
  test("known values pass, anything else falls back to the default", () => {
    expect(parseInboxParams({ type: "question", agent: "bot", sort: "agent" })).toEqual({
      type: "question",
      agent: "bot",
      sort: "agent",
    });
    expect(parseInboxParams({ type: "x", sort: "sideways", agent: "" })).toEqual({
      type: undefined,
      agent: undefined,
      sort: "oldest",
    });
  });
});

describe("live updates", () => {
  test("reconnect backoff doubles from 1 s and stops growing at 30 s", () => {
    const max = () => 1 - Number.EPSILON;
    expect(nextBackoffMs(0, max)).toBe(1000);
    expect(nextBackoffMs(3, max)).toBe(8000);
    expect(nextBackoffMs(20, max)).toBe(30_000);
    expect(nextBackoffMs(0, () => 0)).toBe(500);
  });

  test("the tab title carries the pending count", () => {
    expect(pendingTitle(3, "Inbox")).toBe("(3) Inbox · Nexus");
    expect(pendingTitle(0, "Inbox")).toBe("Inbox · Nexus");
    expect(pendingTitle(2, "Inbox", false)).toBe("(2) Inbox");
  });
});
