"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiKeyNameTaken, createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { apiKeyNameSchema, apiKeyRoleSchema } from "@/server/auth/api-keys";
import { actorName } from "@/lib/auth/principal";
import { requireActionPrincipal } from "@/server/auth/session";
import { log } from "@/lib/log";

export interface CreateKeyState {
  errors?: Record<string, string>;
  message?: string;
  created?: { name: string; role: string; key: string };
  values?: { name: string; role: string };
}

const createSchema = z.object({ name: apiKeyNameSchema, role: apiKeyRoleSchema });

/** Create an API key (admins). The key is returned once, to be shown once. */
export async function createApiKeyAction(
  _prev: CreateKeyState,
  form: FormData,
): Promise<CreateKeyState> {
  const auth = await requireActionPrincipal("admin");
  if (!auth.ok) return { message: auth.message };
  const parsed = createSchema.safeParse({
    name: form.get("name") ?? "",
    role: form.get("role") ?? "",
  });
  const values = { name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "") };
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { errors, values };
  }
  try {
    const { key, row } = await createApiKey({
      ...parsed.data,
      createdBy: actorName(auth.principal),
    });
    log().info(
      { name: row.name, role: row.role, by: actorName(auth.principal) },
      "API key created",
    );
    revalidatePath("/settings/api-keys");
    return { created: { name: row.name, role: row.role, key } };
  } catch (err) {
    if (err instanceof ApiKeyNameTaken) return { errors: { name: err.message }, values };
    throw err;
  }
}

export interface RevokeKeyState {
  message?: string;
  ok?: boolean;
}

/** Revoke a key by name (admins). Effective for the very next request using it. */
export async function revokeApiKeyAction(
  _prev: RevokeKeyState,
  form: FormData,
): Promise<RevokeKeyState> {
  const auth = await requireActionPrincipal("admin");
  if (!auth.ok) return { message: auth.message };
  const name = String(form.get("name") ?? "");
  const revoked = await revokeApiKey(name);
  if (!revoked) return { message: `No active key named "${name}".` };
  log().info({ name, by: actorName(auth.principal) }, "API key revoked");
  revalidatePath("/settings/api-keys");
  return { ok: true, message: `Key "${name}" revoked.` };
}
