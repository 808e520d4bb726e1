"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/lib/forms";
import {
  CannotDisable,
  EmailTaken,
  LastAdmin,
  setUserDisabled,
  updateUserRole,
} from "@/db/queries/users";
import { actorName } from "@/lib/auth/principal";
import { createUser, newUserSchema, roleSchema } from "@/server/auth/users";
import { formAction, formFields, parseForm } from "@/server/forms";
import { log } from "@/lib/log";

const NEW_USER = ["email", "name", "password", "role"] as const;

const createUserForm = formAction<FormState>(
  "admin",
  async (form, principal) => {
    const input = parseForm(newUserSchema, formFields(form, NEW_USER));
    try {
      const user = await createUser(input, actorName(principal));
      log().info({ email: user.email, role: user.role, by: actorName(principal) }, "user created");
      revalidatePath("/settings/users");
      return { ok: true, message: `${user.email} can now sign in as ${user.role}.` };
    } catch (err) {
      if (!(err instanceof EmailTaken)) throw err;
      const { email, name, role } = formFields(form, NEW_USER);
      return { errors: { email: err.message }, values: { email, name, role } };
    }
  },
  { fields: NEW_USER, echo: ["email", "name", "role"] },
);

/** Create a user with a role (admins). */
export async function createUserAction(previous: FormState, form: FormData): Promise<FormState> {
  return createUserForm(previous, form);
}

const roleChange = z.object({ id: z.string().min(1), role: roleSchema });

const changeRoleForm = formAction<FormState>(
  "admin",
  async (form, principal) => {
    // no field errors here: one select per row, the message says what went wrong
    const input = parseForm(roleChange, formFields(form, ["id", "role"]));
    try {
      const user = await updateUserRole(input.id, input.role, actorName(principal));
      if (!user) return { message: "That user no longer exists." };
      log().info({ email: user.email, role: user.role, by: actorName(principal) }, "role changed");
      revalidatePath("/settings/users");
      return { ok: true, message: `${user.email} is now ${user.role}.` };
    } catch (err) {
      if (err instanceof LastAdmin) return { message: err.message };
      throw err;
    }
  },
  { fields: [] },
);

/** Change a user's role (admins). Effective on that user's next request. */
export async function changeRoleAction(previous: FormState, form: FormData): Promise<FormState> {
  return changeRoleForm(previous, form);
}

const disableChange = z.object({ id: z.string().min(1), disabled: z.enum(["true", "false"]) });

const disableForm = formAction<FormState>(
  "admin",
  async (form, principal) => {
    const input = parseForm(disableChange, formFields(form, ["id", "disabled"]));
    const disabled = input.disabled === "true";
    try {
      const user = await setUserDisabled(input.id, disabled, principal.id, actorName(principal));
      if (!user) return { message: "That user no longer exists." };
      log().info(
        { email: user.email, by: actorName(principal) },
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
  },
  { fields: [] },
);

/**
 * Disable or enable a user (admins). Disabling ends their sessions at once and refuses
 * their sign-in; their name stays on what they decided. Not yourself, not the last admin.
 */
export async function setDisabledAction(previous: FormState, form: FormData): Promise<FormState> {
  return disableForm(previous, form);
}
