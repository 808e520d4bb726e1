"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/components/auth/field";
import {
  CannotDisable,
  EmailTaken,
  LastAdmin,
  setUserDisabled,
  updateUserRole,
} from "@/db/queries/users";
import { actorName } from "@/lib/auth/principal";
import { requireActionPrincipal } from "@/server/auth/session";
import { createUser, newUserSchema, roleSchema } from "@/server/auth/users";
import { log } from "@/lib/log";

/** Create a user with a role (admins). */
export async function createUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const auth = await requireActionPrincipal("admin");
  if (!auth.ok) return { message: auth.message };
  const parsed = newUserSchema.safeParse({
    email: form.get("email") ?? "",
    name: form.get("name") ?? "",
    password: form.get("password") ?? "",
    role: form.get("role") ?? "",
  });
  const values = {
    email: String(form.get("email") ?? ""),
    name: String(form.get("name") ?? ""),
    role: String(form.get("role") ?? ""),
  };
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { errors, values };
  }
  try {
    const user = await createUser(parsed.data);
    log().info(
      { email: user.email, role: user.role, by: actorName(auth.principal) },
      "user created",
    );
    revalidatePath("/settings/users");
    return { ok: true, message: `${user.email} can now sign in as ${user.role}.` };
  } catch (err) {
    if (err instanceof EmailTaken) return { errors: { email: err.message }, values };
    throw err;
  }
}

const roleChange = z.object({ id: z.string().min(1), role: roleSchema });

/** Change a user's role (admins). Effective on that user's next request. */
export async function changeRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const auth = await requireActionPrincipal("admin");
  if (!auth.ok) return { message: auth.message };
  const parsed = roleChange.safeParse({ id: form.get("id"), role: form.get("role") });
  if (!parsed.success) return { message: parsed.error.issues[0]?.message ?? "Invalid input" };
  try {
    const user = await updateUserRole(parsed.data.id, parsed.data.role);
    if (!user) return { message: "That user no longer exists." };
    log().info(
      { email: user.email, role: user.role, by: actorName(auth.principal) },
      "role changed",
    );
    revalidatePath("/settings/users");
    return { ok: true, message: `${user.email} is now ${user.role}.` };
  } catch (err) {
    if (err instanceof LastAdmin) return { message: err.message };
    throw err;
  }
}

const disableChange = z.object({ id: z.string().min(1), disabled: z.enum(["true", "false"]) });

/**
 * Disable or enable a user (admins). Disabling ends their sessions at once and refuses
 * their sign-in; their name stays on what they decided. Not yourself, not the last admin.
 */
export async function setDisabledAction(_prev: FormState, form: FormData): Promise<FormState> {
  const auth = await requireActionPrincipal("admin");
  if (!auth.ok) return { message: auth.message };
  const parsed = disableChange.safeParse({ id: form.get("id"), disabled: form.get("disabled") });
  if (!parsed.success) return { message: parsed.error.issues[0]?.message ?? "Invalid input" };
  const disabled = parsed.data.disabled === "true";
  try {
    const user = await setUserDisabled(parsed.data.id, disabled, auth.principal.id);
    if (!user) return { message: "That user no longer exists." };
    log().info(
      { email: user.email, by: actorName(auth.principal) },
      disabled ? "user disabled" : "user enabled",
    );
    revalidatePath("/settings/users");
    return {
      ok: true,
      message: disabled
        ? `${user.email} is disabled and signed out everywhere.`
        : `${user.email} can sign in again.`,
    };
  } catch (err) {
    if (err instanceof CannotDisable) return { message: err.message };
    throw err;
  }
}
