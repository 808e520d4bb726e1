import fc from "fast-check";
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
const key = (role: "agent" | "reviewer" | "monitor"): Principal => ({
  kind: "key",
  id: role,
  name: role,
  role,
});

describe("can(): what each role may do", () => {
  const table: [Principal, Record<Action, boolean>][] = [
    [user("admin"), { read: true, submit: true, decide: true, admin: true, monitor: true }],
    [user("reviewer"), { read: true, submit: true, decide: true, admin: false, monitor: false }],
    [user("viewer"), { read: true, submit: false, decide: false, admin: false, monitor: false }],
    [key("agent"), { read: true, submit: true, decide: false, admin: false, monitor: false }],
    [key("reviewer"), { read: true, submit: true, decide: true, admin: false, monitor: false }],
    // a monitor key reads the status and Prometheus metrics, nothing else
    [key("monitor"), { read: false, submit: false, decide: false, admin: false, monitor: true }],
  ];
  for (const [principal, expected] of table)
    it(`${principal.kind} ${principal.role}`, () => {
      for (const action of Object.keys(expected) as Action[])
        expect(can(principal, action), action).toBe(expected[action]);
    });

  it("nobody (no principal) may do anything", () => {
    for (const action of ["read", "submit", "decide", "admin", "monitor"] as const) {
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
    // A browser drops tab/CR/LF inside a URL: `/\t/evil.com` would become `//evil.com`.
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/\r\n/evil.example", "/"],
    ["/\u0000/evil.example", "/"],
    ["/x\\y", "/"],
    ["/.//evil.example", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/history?q=a b#top", "/history?q=a%20b#top"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
  it("takes the first of repeated parameters", () => {
    expect(safeNextPath(["/a", "/b"])).toBe("/a");
  });
});

describe("safeNextPath(): property", () => {
  const base = "https://nexus.example.com";
  // Strings built from the characters that matter to URL parsing, plus anything at all.
  const tricky = fc.oneof(
    fc.string(),
    fc
      .array(
        fc.constantFrom(
          "/",
          "\\",
          "\t",
          "\n",
          "\r",
          ".",
          ":",
          "@",
          "?",
          "#",
          "%",
          "a",
          "evil.com",
          "http:",
          " ",
          "\u0000",
          "\u00a0",
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join("")),
  );

  it("always gives a path that stays on this site, even after a browser strips tab/CR/LF", () => {
    fc.assert(
      fc.property(tricky, (input) => {
        const out = safeNextPath(input);
        expect(out.startsWith("/")).toBe(true);
        expect(out.startsWith("//")).toBe(false);
        expect(/[\u0000-\u001f\u007f-\u009f\\\\]/.test(out)).toBe(false);
        const asBrowser = out.replace(/[\t\n\r]/g, "");
        expect(new URL(asBrowser, base).origin).toBe(base);
        expect(new URL(out, base).origin).toBe(base);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps an ordinary local path as it is", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }),
        (segs) => {
          const path = `/${segs.join("/")}`;
          fc.pre(!/^\/(login|setup)(\/|$)/.test(path));
          expect(safeNextPath(path)).toBe(path);
        },
      ),
    );
  });
});
