import { ZodError } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import { API_KEY_ROLES } from "@/db/schema";
import { apiKeyNameSchema, apiKeyRoleSchema } from "@/server/auth/api-keys";
import { firstIssue } from "@/server/auth/users";
import { requireFlag, UsageError, type CommandGroup, type ParsedArgs } from "./args";

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
  const { key } = await createApiKey({ name, role, createdBy: "cli" });
  console.log(`created API key "${name}" (${role}). It is shown only once; store it now:`);
  console.log(key); // alone on the last line, for scripts: `| tail -n1`
}

async function list() {
  const keys = await listApiKeys();
  if (keys.length === 0) {
    console.log("no API keys yet (`key create --name N --role agent|reviewer`)");
    return;
  }
  const width = Math.max(4, ...keys.map((k) => k.name.length));
  console.log(
    `${"NAME".padEnd(width)}  PREFIX      ROLE      CREATED (UTC)     LAST USED (UTC)   STATUS`,
  );
  for (const k of keys)
    console.log(
      `${k.name.padEnd(width)}  ${k.prefix.padEnd(10)}  ${k.role.padEnd(8)}  ${time(k.createdAt)}  ${time(k.lastUsedAt).padEnd(16)}  ${k.revokedAt ? `revoked ${time(k.revokedAt)}` : "active"}`,
    );
}

async function revoke(args: ParsedArgs) {
  const name = requireFlag(args, "name");
  if (!(await revokeApiKey(name))) throw new UsageError(`no active API key named "${name}"`);
  console.log(`revoked API key "${name}"`);
}

export const keysGroup: CommandGroup = {
  name: "key",
  summary: "API keys for agents and integrations (roles: agent, reviewer)",
  usage: [
    `key create --name N --role ${API_KEY_ROLES.join("|")}   (prints the key alone on the last line)`,
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
