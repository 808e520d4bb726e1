"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiKeyNameTaken, createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { apiKeyAgentSchema, apiKeyNameSchema, apiKeyRoleSchema } from "@/server/auth/api-keys";
import { actorName } from "@/lib/auth/principal";
import type { FormState } from "@/lib/forms";
import { formAction, formFields, parseForm } from "@/server/forms";
import { log } from "@/lib/log";

export interface CreateKeyState extends FormState {
  created?: { name: string; role: string; key: string; agentId: string | null };
}

const FIELDS = ["name", "role", "agent_id"] as const;
const createSchema = z.object({
  name: apiKeyNameSchema,
  role: apiKeyRoleSchema,
  agent_id: apiKeyAgentSchema,
});

const createKeyForm = formAction<CreateKeyState>(
  "admin",
  async (form, principal) => {
    const input = parseForm(createSchema, formFields(form, FIELDS));
    try {
      const { key, row } = await createApiKey({
        name: input.name,
        role: input.role,
        agentId: input.agent_id,
        createdBy: actorName(principal),
      });
      log().info(
        { name: row.name, role: row.role, agentId: row.agentId, by: actorName(principal) },
        "API key created",
      );
      revalidatePath("/settings/api-keys");
      return { created: { name: row.name, role: row.role, key, agentId: row.agentId } };
    } catch (err) {
      if (!(err instanceof ApiKeyNameTaken)) throw err;
      return { errors: { name: err.message }, values: formFields(form, FIELDS) };
    }
  },
  { fields: FIELDS, echo: FIELDS },
);

/** Create an API key (admins), optionally bound to one agent_id. Returned once, shown once. */
export async function createApiKeyAction(
  previous: CreateKeyState,
  form: FormData,
): Promise<CreateKeyState> {
  return createKeyForm(previous, form);
}

const revokeKeyForm = formAction<FormState>("admin", async (form, principal) => {
  const { name } = formFields(form, ["name"]);
  if (!(await revokeApiKey(name, actorName(principal))))
    return { message: `No active key named "${name}".` };
  log().info({ name, by: actorName(principal) }, "API key revoked");
  revalidatePath("/settings/api-keys");
  return { ok: true, message: `Key "${name}" revoked.` };
});

/** Revoke a key by name (admins). Effective for the very next request using it. */
export async function revokeApiKeyAction(previous: FormState, form: FormData): Promise<FormState> {
  return revokeKeyForm(previous, form);
}

export type RevokeKeyState = FormState;
