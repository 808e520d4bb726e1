import { ZodError } from "zod";
import { findUserByEmail, listUsers, updateUserRole } from "@/db/queries/users";
import { ROLES } from "@/db/schema";
import { getAuth } from "@/server/auth/auth";
import {
  createUser,
  emailSchema,
  firstIssue,
  passwordSchema,
  roleSchema,
} from "@/server/auth/users";
import { optionalFlag, requireFlag, UsageError, type CommandGroup, type ParsedArgs } from "./args";

const ROLE_LIST = ROLES.join("|");

/** Parse with a zod schema; a bad value becomes a one-line usage error. */
function valid<T>(schema: { parse(v: unknown): T }, value: unknown, flag: string): T {
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) throw new UsageError(`--${flag}: ${firstIssue(err)}`);
    throw err;
  }
}

async function create(args: ParsedArgs) {
  const email = valid(emailSchema, requireFlag(args, "email"), "email");
  const password = valid(passwordSchema, requireFlag(args, "password"), "password");
  const role = valid(roleSchema, requireFlag(args, "role", ROLES), "role");
  const name = optionalFlag(args, "name");
  const user = await createUser({ email, password, role, name });
  console.log(`created user ${user.email} (${user.role})`);
}

async function list() {
  const users = await listUsers();
  if (users.length === 0) {
    console.log("no users yet (create the first admin at /setup or with `user create`)");
    return;
  }
  const width = Math.max(5, ...users.map((u) => u.email.length));
  console.log(`${"EMAIL".padEnd(width)}  ${"ROLE".padEnd(8)}  CREATED (UTC)      NAME`);
  for (const u of users)
    console.log(
      `${u.email.padEnd(width)}  ${u.role.padEnd(8)}  ${u.createdAt.toISOString().slice(0, 16).replace("T", " ")}   ${u.name}`,
    );
}

async function setRole(args: ParsedArgs) {
  const email = valid(emailSchema, requireFlag(args, "email"), "email");
  const role = valid(roleSchema, requireFlag(args, "role", ROLES), "role");
  const user = await findUserByEmail(email);
  if (!user) throw new UsageError(`no user with the email ${email}`);
  await updateUserRole(user.id, role);
  console.log(`${email} is now ${role}`);
}

async function setPassword(args: ParsedArgs) {
  const email = valid(emailSchema, requireFlag(args, "email"), "email");
  const password = valid(passwordSchema, requireFlag(args, "password"), "password");
  const user = await findUserByEmail(email);
  if (!user) throw new UsageError(`no user with the email ${email}`);
  const ctx = await (await getAuth()).$context;
  await ctx.internalAdapter.updatePassword(user.id, await ctx.password.hash(password));
  await ctx.internalAdapter.deleteUserSessions(user.id);
  console.log(`password of ${email} changed; their sessions were signed out`);
}

export const usersGroup: CommandGroup = {
  name: "user",
  summary: "people who sign in (roles: admin, reviewer, viewer)",
  usage: [
    `user create --email E --password P --role ${ROLE_LIST} [--name N]`,
    "user list",
    `user set-role --email E --role ${ROLE_LIST}`,
    "user set-password --email E --password P   (also signs the user out everywhere)",
  ],
  async run(command, args) {
    switch (command) {
      case "create":
        return create(args);
      case "list":
        return list();
      case "set-role":
        return setRole(args);
      case "set-password":
        return setPassword(args);
      default:
        throw new UsageError(
          `${command ? `unknown command "user ${command}"` : "missing command"}; try: ${usersGroup.usage.join(" | ")}`,
        );
    }
  },
};
