import { z } from "zod";
import { API_KEY_ROLES } from "@/db/schema";

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
