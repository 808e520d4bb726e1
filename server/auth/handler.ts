import "server-only";
import {
  clearLoginFailures,
  loginLockedForSeconds,
  recordLoginFailure,
} from "@/db/queries/login-failures";
import { log } from "@/lib/log";
import { getAuth } from "./auth";

/*
 * The /api/auth/* endpoint: better-auth's handler (which applies its per-address rate
 * limit, stored in rate_limits), plus a per-account limit on email sign-in: too many
 * failed attempts for one email refuse further attempts for a while, whatever the
 * address they come from.
 */
const SIGN_IN_PATH = "/api/auth/sign-in/email";

function tooMany(seconds: number) {
  return Response.json(
    {
      code: "TOO_MANY_ATTEMPTS",
      message: `Too many failed sign-in attempts for this account. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}.`,
    },
    { status: 429, headers: { "Retry-After": String(seconds) } },
  );
}

async function signInEmail(request: Request): Promise<string | null> {
  try {
    const body = (await request.clone().json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

export async function handleAuthRequest(request: Request): Promise<Response> {
  const auth = await getAuth();
  const isSignIn =
    request.method === "POST" && new URL(request.url).pathname.replace(/\/+$/, "") === SIGN_IN_PATH;
  const email = isSignIn ? await signInEmail(request) : null;
  if (email) {
    const wait = await loginLockedForSeconds(email);
    if (wait > 0) {
      log().warn({ email }, "sign-in refused: account temporarily locked after failed attempts");
      return tooMany(wait);
    }
  }
  const response = await auth.handler(request);
  if (email) {
    if (response.status === 401) {
      await recordLoginFailure(email);
      log().info({ email }, "failed sign-in");
    } else if (response.ok) {
      await clearLoginFailures(email);
    }
  }
  return response;
}
