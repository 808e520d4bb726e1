import { describe, expect, it } from "vitest";
import {
  addressKey,
  cameThroughAProxy,
  clientAddress,
  isLoopback,
  requestIsHttps,
} from "@/lib/auth/client-address";
import { parseEnv } from "@/lib/env";

const h = (o: Record<string, string>) => new Headers(o);

describe("clientAddress()", () => {
  it("is the socket's peer unless proxies are trusted", () => {
    const headers = h({ "x-nexus-peer": "198.51.100.1", "x-forwarded-for": "10.0.0.1, 10.0.0.2" });
    expect(clientAddress(headers, 0)).toBe("198.51.100.1");
    // One trusted proxy (the peer): the address it appended.
    expect(clientAddress(headers, 1)).toBe("10.0.0.2");
    expect(clientAddress(headers, 2)).toBe("10.0.0.1");
    // More hops than addresses: the leftmost, never beyond.
    expect(clientAddress(headers, 9)).toBe("10.0.0.1");
    expect(clientAddress(h({ "x-nexus-peer": "198.51.100.1" }), 1)).toBe("198.51.100.1");
    expect(clientAddress(h({}), 0)).toBeNull();
  });

  it("over https: X-Forwarded-Proto only behind a trusted proxy, else the public URL", () => {
    const fwd = h({ "x-forwarded-proto": "https" });
    expect(requestIsHttps(fwd, 0, "http://localhost:3000")).toBe(false);
    expect(requestIsHttps(fwd, 1, "http://localhost:3000")).toBe(true);
    expect(requestIsHttps(h({}), 0, "https://nexus.example.com")).toBe(true);
  });
});

describe("cameThroughAProxy()", () => {
  it("is not fooled by the X-Forwarded-For Next.js fills in with the peer itself", () => {
    const peer = "::ffff:127.0.0.1";
    expect(cameThroughAProxy(h({ "x-nexus-peer": peer, "x-forwarded-for": peer }))).toBe(false);
    expect(cameThroughAProxy(h({ "x-nexus-peer": peer }))).toBe(false);
    expect(cameThroughAProxy(h({ "x-nexus-peer": peer, "x-forwarded-for": "192.0.2.9" }))).toBe(
      true,
    );
    expect(
      cameThroughAProxy(h({ "x-nexus-peer": peer, "x-forwarded-for": `192.0.2.9, ${peer}` })),
    ).toBe(true);
    expect(cameThroughAProxy(h({ "x-nexus-peer": peer, forwarded: "for=192.0.2.9" }))).toBe(true);
  });
});

describe("isLoopback() and addressKey()", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["192.0.2.2", false],
    ["::ffff:192.0.2.2", false],
    ["fd00::2", false],
    ["", false],
  ])("%s loopback: %s", (a, expected) => expect(isLoopback(a)).toBe(expected));

  it("throttles IPv6 by /64 and unwraps IPv4-mapped addresses", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:0db8:0001:0002::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:0db8:0000:0000::/64");
    expect(addressKey("::ffff:198.51.100.3")).toBe("198.51.100.3");
    expect(addressKey("198.51.100.3")).toBe("198.51.100.3");
    expect(addressKey(null)).toBe("unknown");
  });
});

describe("NEXUS_TRUST_PROXY", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["0", 0],
    ["false", 0],
    ["no", 0],
    ["1", 1],
    ["true", 1],
    ["yes", 1],
    ["2", 2],
  ])("%s → %s hops", (value, hops) =>
    expect(parseEnv({ NEXUS_TRUST_PROXY: value }).NEXUS_TRUST_PROXY).toBe(hops),
  );
  it("refuses anything else with one line", () => {
    expect(() => parseEnv({ NEXUS_TRUST_PROXY: "loopback" })).toThrow(/NEXUS_TRUST_PROXY must be/);
  });
});
