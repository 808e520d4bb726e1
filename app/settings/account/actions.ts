"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { z } from "zod";
import { setEmailPreference } from "@/db/queries/email";
import { EMAIL_MODES, MAX_DIGEST_MINUTES, MIN_DIGEST_MINUTES } from "@/lib/email/preferences";
import type { FormState } from "@/lib/forms";
import { getAuth } from "@/server/auth/auth";
import { passwordSchema } from "@/server/auth/users";
import { formAction, formFields, parseForm } from "@/server/forms";
import { log } from "@/lib/log";

const FIELDS = ["current", "password", "confirm"] as const;
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

const changePasswordForm = formAction<FormState>(
  "read",
  async (form, principal) => {
    const input = parseForm(changeSchema, formFields(form, FIELDS));
    const auth = await getAuth();
    try {
      await auth.api.changePassword({
        body: {
          currentPassword: input.current,
          newPassword: input.password,
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
    log().info({ user: principal.name }, "password changed");
    // A redirect (not a returned message): the action replaced the session cookie.
    return { redirect: "/settings/account?password=changed" };
  },
  { fields: FIELDS },
);

/** Change one's own password; signs out every other session of the account. */
export async function changePasswordAction(
  previous: FormState,
  form: FormData,
): Promise<FormState> {
  return changePasswordForm(previous, form);
}

const EMAIL_FIELDS = ["mode", "digestMinutes"] as const;
const emailSchema = z.object({
  mode: z.enum(EMAIL_MODES, { error: "Choose none, each request or a digest" }),
  digestMinutes: z.coerce
    .number({ error: "Minutes must be a whole number" })
    .int("Minutes must be a whole number")
    .min(MIN_DIGEST_MINUTES, `At least ${MIN_DIGEST_MINUTES} minutes`)
    .max(MAX_DIGEST_MINUTES, `At most ${MAX_DIGEST_MINUTES} minutes`),
});

const emailForm = formAction<FormState>(
  "decide",
  async (form, principal) => {
    if (principal.kind !== "user") return { message: "Only a signed-in person has an email." };
    const input = parseForm(emailSchema, formFields(form, EMAIL_FIELDS));
    await setEmailPreference(principal.id, input, principal.email);
    // the values go back to the form: React resets it to them after the submission
    return {
      ok: true,
      message: "Saved.",
      values: { mode: input.mode, digestMinutes: String(input.digestMinutes) },
    };
  },
  { fields: EMAIL_FIELDS, echo: EMAIL_FIELDS },
);

/** A reviewer's email choice: none, each new request, or a digest every N minutes. */
export async function emailPreferenceAction(
  previous: FormState,
  form: FormData,
): Promise<FormState> {
  return emailForm(previous, form);
}
