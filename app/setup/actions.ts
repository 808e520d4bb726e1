"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { FormState } from "@/components/auth/field";
import { hasUsers } from "@/db/queries/users";
import { zodFormState } from "@/server/forms";
import { emailSchema, passwordSchema, createFirstAdmin } from "@/server/auth/users";
import { setupNeedsToken, setupTokenMatches } from "@/server/auth/setup-token";
import { log } from "@/lib/log";

const setupSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(100, "Name is too long"),
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The passwords do not match",
  });

const DONE = "Setup is already done: an account exists. Sign in instead.";

/**
 * Create the first admin. Only while no user exists (checked before any work: hashing a
 * password costs time an anonymous visitor should not be able to spend), and from
 * another machine only with the setup token the server printed at start.
 */
export async function setupAction(_prev: FormState, form: FormData): Promise<FormState> {
  if (await hasUsers()) return { message: DONE };
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
  if (setupNeedsToken(await headers()) && !setupTokenMatches(String(form.get("token") ?? "")))
    return {
      errors: { token: "Enter the setup token printed by the server when it started" },
      values,
    };
  const parsed = setupSchema.safeParse({
    email: form.get("email") ?? "",
    name: form.get("name") ?? "",
    password: form.get("password") ?? "",
    confirm: form.get("confirm") ?? "",
  });
  if (!parsed.success) {
    return { ...zodFormState(parsed.error), values };
  }
  const result = await createFirstAdmin(parsed.data);
  if (!result.created) return { message: DONE };
  log().info({ email: result.user.email }, "first admin created");
  redirect("/login?setup=done");
}
