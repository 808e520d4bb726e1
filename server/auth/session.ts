import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { hasUsers } from "@/db/queries/users";
import { can, type Action, type Principal } from "@/lib/auth/principal";
import { principalFromHeaders } from "./session-principal";

export { principalFromHeaders };

/** The signed-in person, or null (once per request). */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const h = await headers(); // first: marks the route dynamic before the database is touched
  return principalFromHeaders(h);
});

/** The path (and query) of the page being rendered, for `?next=` after signing in. */
async function currentPath(): Promise<string> {
  const h = await headers();
  // Set by proxy.ts on every page request.
  const path = h.get("x-nexus-path");
  return path && path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

async function sendAnonymousAway(): Promise<never> {
  if (!(await hasUsers())) redirect("/setup");
  const next = await currentPath();
  redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
}

/**
 * For the root layout, before anything streams (so these are real 307s, and pages added
 * later are covered too): anonymous visitors of any page but /login and /setup go to /login
 * (or /setup while nobody has an account); /setup is gone once someone has one.
 * Pages still call requirePagePrincipal() for their role.
 */
export async function guardRequest(): Promise<Principal | null> {
  const principal = await currentPrincipal();
  const pathname = (await currentPath()).split("?")[0]!;
  if (pathname === "/setup") {
    if (principal || (await hasUsers())) redirect(principal ? "/" : "/login");
    return null;
  }
  if (principal) return principal;
  if (pathname === "/login") {
    if (!(await hasUsers())) redirect("/setup");
    return null;
  }
  return sendAnonymousAway();
}

/**
 * For pages: while nobody has an account, everything leads to /setup; anonymous
 * visitors go to /login (and come back afterwards); a role lacking `action` gets 403.
 */
export async function requirePagePrincipal(action: Action = "read"): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) return sendAnonymousAway();
  if (!can(principal, action)) forbidden();
  return principal;
}

/** For server actions: the principal, or an error message to return to the form. */
export async function requireActionPrincipal(
  action: Action,
): Promise<{ ok: true; principal: Principal } | { ok: false; message: string }> {
  const principal = await currentPrincipal();
  if (!principal) return { ok: false, message: "Your session has ended. Sign in again." };
  if (!can(principal, action)) return { ok: false, message: "Your role does not allow this." };
  return { ok: true, principal };
}
