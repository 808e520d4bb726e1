/**
 * Which inbox entry `j` (next) or `k` (previous) selects: from the focused entry when
 * there is one, else from the last one selected (clamped to what is left), else the
 * first. Never wraps.
 */
export function nextSelection(
  key: "j" | "k",
  count: number,
  focused: number,
  last: number,
): number | null {
  if (count <= 0) return null;
  const current = focused >= 0 ? focused : Math.min(last, count - 1);
  if (current < 0) return 0;
  return key === "j" ? Math.min(current + 1, count - 1) : Math.max(current - 1, 0);
}
