"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { FormState } from "@/components/auth/field";
import { zodFormState } from "@/server/forms";
import { emailSchema, passwordSchema, createFirstAdmin } from "@/server/auth/users";
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

/** Create the first admin. Only while no user exists; a second submission is refused. */
export async function setupAction(_prev: FormState, form: FormData): Promise<FormState> {
  const parsed = setupSchema.safeParse({
    email: form.get("email") ?? "",
    name: form.get("name") ?? "",
    password: form.get("password") ?? "",
    confirm: form.get("confirm") ?? "",
  });
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
  if (!parsed.success) {
    return { ...zodFormState(parsed.error), values };
  }
  const result = await createFirstAdmin(parsed.data);
  if (!result.created)
    return { message: "Setup is already done: an account exists. Sign in instead." };
  log().info({ email: result.user.email }, "first admin created");
  redirect("/login?setup=done");
}
