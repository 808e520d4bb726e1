import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Principal } from "@/lib/auth/principal";

/*
 * Who is calling, for code deep below a route handler (limits per principal, logs)
 * without threading it through every signature. Set by the HTTP edge (withRequestLog);
 * `authorize()` fills in the principal. Kept on globalThis: Next.js loads server modules
 * more than once and every copy must see the same store.
 */
export interface RequestContext {
  reqId: string;
  method: string;
  route: string;
  principal?: Principal;
}

const g = globalThis as unknown as { __nexusRequestContext?: AsyncLocalStorage<RequestContext> };
export const requestStore = (g.__nexusRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** The current request's context, or undefined outside a request. */
export function requestContext(): RequestContext | undefined {
  return requestStore.getStore();
}

/** A stable name for limits and logs: "key:<id>" or "user:<id>" (never a secret). */
export function principalId(p: Principal): string {
  return `${p.kind}:${p.id}`;
}
