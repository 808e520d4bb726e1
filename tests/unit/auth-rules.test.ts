import { describe, expect, it } from "vitest";
import { can, type Action, type Principal } from "@/lib/auth/principal";
import { safeNextPath } from "@/lib/auth/next-path";

const user = (role: "admin" | "reviewer" | "viewer"): Principal => ({
  kind: "user",
  id: role,
  email: `${role}@example.com`,
  name: role,
  role,
});
const key = (role: "agent" | "reviewer"): Principal => ({
  kind: "key",
  id: role,
  name: role,
  role,
});

describe("can(): what each role may do", () => {
  const table: [Principal, Record<Action, boolean>][] = [
    [user("admin"), { read: true, submit: true, decide: true, admin: true }],
    [user("reviewer"), { read: true, submit: true, decide: true, admin: false }],
    [user("viewer"), { read: true, submit: false, decide: false, admin: false }],
    [key("agent"), { read: true, submit: true, decide: false, admin: false }],
    [key("reviewer"), { read: true, submit: true, decide: true, admin: false }],
  ];
  for (const [principal, expected] of table)
    it(`${principal.kind} ${principal.role}`, () => {
      for (const action of Object.keys(expected) as Action[])
        expect(can(principal, action), action).toBe(expected[action]);
    });

  it("nobody (no principal) may do anything", () => {
    for (const action of ["read", "submit", "decide", "admin"] as const) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
    }
  });
});

describe("safeNextPath(): where sign-in may send you", () => {
  it.each([
    ["/settings/account", "/settings/account"],
    ["/approvals/1?tab=diff", "/approvals/1?tab=diff"],
    [undefined, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/login?next=/x", "/"],
    ["/setup", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
  it("takes the first of repeated parameters", () => {
    expect(safeNextPath(["/a", "/b"])).toBe("/a");
  });
});
