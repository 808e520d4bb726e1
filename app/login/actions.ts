"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/server/auth/auth";

/** Sign out: delete the session row and its cookie, then go to the sign-in page. */
export async function signOutAction() {
  const auth = await getAuth();
  try {
    await auth.api.signOut({ headers: await headers() });
  } catch {
    // No (valid) session: nothing to end.
  }
  redirect("/login");
}
