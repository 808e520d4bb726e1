/*
 * Who is on the other end of a request, and over which scheme, decided from the socket
 * unless NEXUS_TRUST_PROXY says which forwarding headers to believe. A client can send
 * any X-Forwarded-For it likes: believing it by default would let one address pose as
 * thousands (sign-in limits) or as loopback (first-run setup). Pure: the caller passes
 * the headers, the socket's address (`x-nexus-peer`, written by server/client-peer.ts
 * from the socket itself) and the configuration.
 */

/** Request header holding the socket's remote address; any client-sent value is replaced. */
export const PEER_HEADER = "x-nexus-peer";
/** Request header handed to better-auth with the resolved client address (see handler.ts). */
export const CLIENT_ADDRESS_HEADER = "x-nexus-client-address";

interface HeaderSource {
  get(name: string): string | null;
}

function lastValues(header: string | null): string[] {
  return (header ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The client's address: the socket peer, or with `trustProxyHops` = N, the address N
 * hops back along X-Forwarded-For (each trusted proxy appends the address it saw).
 * Null when unknown (no peer recorded: code running outside the Nexus server).
 */
export function clientAddress(headers: HeaderSource, trustProxyHops: number): string | null {
  const peer = headers.get(PEER_HEADER)?.trim() || null;
  if (trustProxyHops <= 0) return peer;
  const chain = [...lastValues(headers.get("x-forwarded-for")), ...(peer ? [peer] : [])];
  if (chain.length === 0) return null;
  return chain[Math.max(0, chain.length - 1 - trustProxyHops)] ?? null;
}

/**
 * Whether forwarding headers name someone other than the socket's peer: the request came
 * through a proxy. (Next.js itself fills X-Forwarded-For with the peer when it is absent,
 * so that alone says nothing.)
 */
export function cameThroughAProxy(headers: HeaderSource): boolean {
  if (headers.get("forwarded") || headers.get("x-real-ip")) return true;
  const chain = lastValues(headers.get("x-forwarded-for"));
  const peer = headers.get(PEER_HEADER)?.trim() ?? "";
  return chain.length > 0 && !(chain.length === 1 && chain[0] === peer);
}

/**
 * Whether the request reached the public end over https: X-Forwarded-Proto (the value
 * the nearest proxy wrote) when proxies are trusted, else the scheme of NEXUS_PUBLIC_URL.
 */
export function requestIsHttps(
  headers: HeaderSource,
  trustProxyHops: number,
  publicUrl: string,
): boolean {
  if (trustProxyHops > 0) {
    const proto = lastValues(headers.get("x-forwarded-proto")).pop();
    if (proto) return proto.toLowerCase() === "https";
  }
  return publicUrl.toLowerCase().startsWith("https:");
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  const v4 = a.startsWith("::ffff:") ? a.slice(7) : a;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return a === "::1" || a === "0:0:0:0:0:0:0:1";
}

/**
 * The key an address is throttled under: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6
 * by its /64 (one host usually holds a whole /64, so counting single addresses would
 * give it 2^64 fresh starts).
 */
export function addressKey(address: string | null): string {
  if (!address) return "unknown";
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  if (a.startsWith("::ffff:") && /^\d+\.\d+\.\d+\.\d+$/.test(a.slice(7))) return a.slice(7);
  if (!a.includes(":")) return a;
  const [head = "", tail = ""] = a.split("::", 2);
  const left = head ? head.split(":") : [];
  const right = a.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = a.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.padStart(4, "0"))
    .join(":")}::/64`;
}
