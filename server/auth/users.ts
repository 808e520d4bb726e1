import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { insertAccount, insertFirstAdmin, type UserSummary } from "@/db/queries/users";
import { ROLES, type Role } from "@/db/schema";
import { getAuth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./auth";

/*
 * Creating people: the one path used by /setup, Settings → Users and the CLI. Passwords
 * are hashed by better-auth (its context's password.hash), rows written in one
 * transaction by db/queries/users.ts.
 */

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address, like name@example.com"));

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const roleSchema = z.enum(ROLES, {
  error: `Role must be one of ${ROLES.join(", ")}`,
});

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100, "Name is too long").optional(),
  role: roleSchema,
});
export type NewUserInput = z.input<typeof newUserSchema>;

/** First problem with the input, as one line (forms and the CLI show it as is). */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Invalid input";
}

async function prepare(input: Omit<NewUserInput, "role">) {
  const email = emailSchema.parse(input.email);
  const password = passwordSchema.parse(input.password);
  const name = input.name?.trim() || email.split("@")[0]!;
  const ctx = await (await getAuth()).$context;
  return {
    id: randomUUID(),
    accountId: randomUUID(),
    email,
    name,
    passwordHash: await ctx.password.hash(password),
  };
}

/**
 * Create a user with a role (`createdBy`: who, for the audit log). Throws ZodError on bad
 * input, EmailTaken on a duplicate.
 */
export async function createUser(
  input: NewUserInput,
  createdBy: string | null = null,
): Promise<UserSummary> {
  const role: Role = roleSchema.parse(input.role);
  return insertAccount({ ...(await prepare(input)), role, createdBy });
}

/** The first admin, only while nobody exists (race-safe). */
export async function createFirstAdmin(input: Omit<NewUserInput, "role">) {
  return insertFirstAdmin(await prepare(input));
}
