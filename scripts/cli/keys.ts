import { ZodError } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import { API_KEY_ROLES } from "@/db/schema";
import { apiKeyAgentSchema, apiKeyNameSchema, apiKeyRoleSchema } from "@/server/auth/api-keys";
import { firstIssue } from "@/server/auth/users";
import { optionalFlag, requireFlag, UsageError, type CommandGroup, type ParsedArgs } from "./args";

function valid<T>(schema: { parse(v: unknown): T }, value: unknown, flag: string): T {
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) throw new UsageError(`--${flag}: ${firstIssue(err)}`);
    throw err;
  }
}

const time = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "never");

async function create(args: ParsedArgs) {
  const name = valid(apiKeyNameSchema, requireFlag(args, "name"), "name");
  const role = valid(apiKeyRoleSchema, requireFlag(args, "role", API_KEY_ROLES), "role");
  const agentId = valid(apiKeyAgentSchema, optionalFlag(args, "agent-id"), "agent-id");
  const { key } = await createApiKey({ name, role, agentId, createdBy: "cli" });
  const bound = agentId ? `, may only submit as agent_id "${agentId}"` : "";
  console.log(`created API key "${name}" (${role}${bound}). It is shown only once; store it now:`);
  console.log(key); // alone on the last line, for scripts: `| tail -n1`
}

async function list() {
  const keys = await listApiKeys();
  if (keys.length === 0) {
    console.log("no API keys yet (`key create --name N --role agent|reviewer`)");
    return;
  }
  const width = Math.max(4, ...keys.map((k) => k.name.length));
  const agentWidth = Math.max(8, ...keys.map((k) => (k.agentId ?? "any").length));
  console.log(
    `${"NAME".padEnd(width)}  PREFIX      ROLE      ${"AGENT_ID".padEnd(agentWidth)}  CREATED (UTC)     LAST USED (UTC)   STATUS`,
  );
  for (const k of keys)
    console.log(
      `${k.name.padEnd(width)}  ${k.prefix.padEnd(10)}  ${k.role.padEnd(8)}  ${(k.agentId ?? "any").padEnd(agentWidth)}  ${time(k.createdAt)}  ${time(k.lastUsedAt).padEnd(16)}  ${k.revokedAt ? `revoked ${time(k.revokedAt)}` : "active"}`,
    );
}

async function revoke(args: ParsedArgs) {
  const name = requireFlag(args, "name");
  if (!(await revokeApiKey(name, "cli"))) throw new UsageError(`no active API key named "${name}"`);
  console.log(`revoked API key "${name}"`);
}

export const keysGroup: CommandGroup = {
  name: "key",
  summary: "API keys for agents and integrations (roles: agent, reviewer)",
  usage: [
    `key create --name N --role ${API_KEY_ROLES.join("|")} [--agent-id A]   (prints the key alone on the last line; --agent-id: it may only submit as A)`,
    "key list",
    "key revoke --name N",
  ],
  async run(command, args) {
    switch (command) {
      case "create":
        return create(args);
      case "list":
        return list();
      case "revoke":
        return revoke(args);
      default:
        throw new UsageError(
          `${command ? `unknown command "key ${command}"` : "missing command"}; try: ${keysGroup.usage.join(" | ")}`,
        );
    }
  },
};
