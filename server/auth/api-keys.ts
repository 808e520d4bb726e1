import { z } from "zod";
import { API_KEY_ROLES } from "@/db/schema";
import { MAX_AGENT_ID, unstorableText } from "@/lib/api/schemas";

/** Input rules for API keys, shared by Settings → API keys and the CLI. */
export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .regex(/^[\w.@:-][\w .@:-]*$/, "Name may use letters, digits, spaces and . _ - @ :");

export const apiKeyRoleSchema = z.enum(API_KEY_ROLES, {
  error: `Role must be one of ${API_KEY_ROLES.join(", ")}`,
});

/** The agent_id a key is bound to: optional (blank: any agent), as an agent_id is. */
export const apiKeyAgentSchema = z
  .string()
  .trim()
  .max(MAX_AGENT_ID, `Agent id must be at most ${MAX_AGENT_ID} characters`)
  .refine((v) => unstorableText(v) === null, "Agent id must be plain text")
  .optional()
  .transform((v) => v || null);
