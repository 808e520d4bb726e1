"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { FormState } from "@/components/auth/field";
import { getAuth } from "@/server/auth/auth";
import { requireActionPrincipal } from "@/server/auth/session";
import { passwordSchema } from "@/server/auth/users";
import { log } from "@/lib/log";

const changeSchema = z
  .object({
    current: z.string().min(1, "Enter your current password"),
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The new passwords do not match",
  });

/** Change one's own password; signs out every other session of the account. */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const who = await requireActionPrincipal("read");
  if (!who.ok) return { message: who.message };
  const parsed = changeSchema.safeParse({
    current: form.get("current") ?? "",
    password: form.get("password") ?? "",
    confirm: form.get("confirm") ?? "",
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { errors };
  }
  const auth = await getAuth();
  try {
    await auth.api.changePassword({
      body: {
        currentPassword: parsed.data.current,
        newPassword: parsed.data.password,
        revokeOtherSessions: true,
      },
      headers: await headers(),
    });
  } catch (err) {
    if (err instanceof APIError) {
      if (/invalid password/i.test(err.message))
        return { errors: { current: "The current password is wrong" } };
      return { message: err.message || "The password could not be changed." };
    }
    throw err;
  }
  log().info({ user: who.principal.name }, "password changed");
  // A redirect (not a returned message): the action replaced the session cookie.
  redirect("/settings/account?password=changed");
}
