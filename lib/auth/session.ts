import "server-only";
import { forbidden, redirect } from "next/navigation";
import { can, type Action, type Principal } from "./principal";

/*
 * STAND-IN until the accounts issue lands: every visitor is a local admin. The
 * accounts work replaces `currentUser()` with better-auth sessions; the three
 * functions below keep their signatures, so pages and actions need no change.
 */
async function currentUser(): Promise<Principal | null> {
  return { kind: "user", id: "dev", email: "dev@localhost", name: "Developer", role: "admin" };
}

/** The signed-in person, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  return currentUser();
}

/** For pages: redirect anonymous visitors to /login; show 403 to those lacking `action`. */
export async function requirePagePrincipal(action: Action = "read"): Promise<Principal> {
  const principal = await currentUser();
  if (!principal) redirect("/login");
  if (!can(principal, action)) forbidden();
  return principal;
}

/** For server actions: the principal, or an error message to return to the form. */
export async function requireActionPrincipal(
  action: Action,
): Promise<{ ok: true; principal: Principal } | { ok: false; message: string }> {
  const principal = await currentUser();
  if (!principal) return { ok: false, message: "Your session has ended. Sign in again." };
  if (!can(principal, action)) return { ok: false, message: "Your role does not allow this." };
  return { ok: true, principal };
}
