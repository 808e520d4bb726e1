import { describe, expect, test } from "vitest";
import { CONFIRM_MAX_WAIT_MS, CONFIRM_QUIET_MS, confirmDelay } from "@/components/live/confirm";

describe("the refresh confirming live events a page has already shown", () => {
  test("a lone event is confirmed after the quiet interval", () => {
    expect(confirmDelay(10_000, 10_000)).toBe(CONFIRM_QUIET_MS);
  });

  test("each further event in a burst pushes it back by the quiet interval", () => {
    expect(confirmDelay(10_600, 10_000)).toBe(CONFIRM_QUIET_MS);
  });

  test("a burst that never pauses is still confirmed by the maximum wait", () => {
    const first = 10_000;
    const late = first + CONFIRM_MAX_WAIT_MS - 300;
    expect(confirmDelay(late, first)).toBe(300);
    expect(confirmDelay(first + CONFIRM_MAX_WAIT_MS + 50, first)).toBe(0);
  });
});
