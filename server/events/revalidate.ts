import "server-only";
import { apiKeyIsLive, activeUserRole } from "@/db/queries/principals";
import { isConnectionError, isTimeoutError } from "@/db/errors";
import { can, type Action, type Principal } from "@/lib/auth/principal";
import type { Role } from "@/db/schema";
import { principalFromHeaders } from "@/server/auth/session-principal";
import { log } from "@/lib/log";

/*
 * A long-lived response (an event stream) was authorized once, when it opened. Its
 * caller is checked again every RECHECK_MS, so that revoking the key, signing out,
 * disabling the user or demoting them below `action` ends the stream within 5 s.
 */

export const RECHECK_MS = 2000;

/** True while `principal` (as presented by `headers`) may still do `action`. */
export async function stillAllowed(
  principal: Principal,
  headers: Headers,
  action: Action,
): Promise<boolean> {
  if (principal.kind === "key") return apiKeyIsLive(principal.id);
  // the session (sign-out ends it) and the role, as the request would be checked now
  const now = await principalFromHeaders(headers);
  if (!now || now.kind !== "user" || now.id !== principal.id) return false;
  const role = await activeUserRole(principal.id); // disabled_at
  return role !== null && can({ ...now, role: role as Role }, action);
}

/**
 * Re-check every RECHECK_MS until `signal` aborts; call `onDenied` once when the caller
 * lost access. A database that cannot be reached does not end the stream (the stream
 * carries nothing while the database is down; it ends if access was lost once it is back).
 */
export function watchAccess(
  principal: Principal,
  headers: Headers,
  action: Action,
  signal: AbortSignal,
  onDenied: () => void,
) {
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      if (!(await stillAllowed(principal, headers, action))) {
        clearInterval(timer);
        log().info(
          { principal: { kind: principal.kind, name: principal.name } },
          "events: access ended, closing the stream",
        );
        onDenied();
      }
    } catch (err) {
      if (!isConnectionError(err) && !isTimeoutError(err))
        log().error({ err }, "events: re-checking access failed");
    } finally {
      checking = false;
    }
  }, RECHECK_MS);
  timer.unref();
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}
