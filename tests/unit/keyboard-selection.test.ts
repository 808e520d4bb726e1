import { describe, expect, it } from "vitest";
import { nextSelection } from "@/components/keyboard/selection";

describe("j/k inbox selection", () => {
  it("selects the first entry when nothing was selected, whichever key", () => {
    expect(nextSelection("j", 5, -1, -1)).toBe(0);
    expect(nextSelection("k", 5, -1, -1)).toBe(0);
  });
  it("moves from the focused entry and stops at both ends without wrapping", () => {
    expect(nextSelection("j", 5, 2, 0)).toBe(3);
    expect(nextSelection("k", 5, 2, 4)).toBe(1);
    expect(nextSelection("j", 5, 4, -1)).toBe(4);
    expect(nextSelection("k", 5, 0, -1)).toBe(0);
  });
  it("continues from the last selection when focus left the list, clamped to what is left", () => {
    expect(nextSelection("j", 5, -1, 1)).toBe(2);
    expect(nextSelection("j", 3, -1, 6)).toBe(2);
    expect(nextSelection("k", 3, -1, 6)).toBe(1);
  });
  it("does nothing on an empty list", () => {
    expect(nextSelection("j", 0, -1, 3)).toBeNull();
  });
});
