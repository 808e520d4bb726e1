import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { cameThroughAProxy, clientAddress, isLoopback } from "@/lib/auth/client-address";
import { env } from "@/lib/env";

/*
 * First-run setup is open to whoever reaches /setup first. Until the first admin exists,
 * a visitor who is not on this machine (socket address, or the forwarded address when
 * NEXUS_TRUST_PROXY says so) must give the setup token, which the server prints on its
 * stdout at start and keeps nowhere but in memory: new at every start, per process.
 */
const g = globalThis as unknown as { __nexusSetupToken?: string };

/** This process's setup token (made on first use: at start when nobody has an account). */
export function setupToken(): string {
  g.__nexusSetupToken ??= randomBytes(15).toString("base64url");
  return g.__nexusSetupToken;
}

/**
 * Whether the request needs the setup token: it does not come from loopback. A request
 * that went through a proxy no one told us to trust (it carries forwarding headers) is
 * not taken as local either: behind a reverse proxy on this machine every visitor's
 * socket address is loopback.
 */
export function setupNeedsToken(headers: Headers): boolean {
  const trust = env().NEXUS_TRUST_PROXY;
  if (trust === 0 && cameThroughAProxy(headers)) return true;
  return !isLoopback(clientAddress(headers, trust));
}

/** Constant-time comparison with this process's token. */
export function setupTokenMatches(given: string): boolean {
  const a = Buffer.from(given.trim());
  const b = Buffer.from(setupToken());
  return a.length === b.length && timingSafeEqual(a, b);
}
