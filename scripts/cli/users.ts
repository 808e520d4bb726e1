import { ZodError } from "zod";
import { clearAccountSignInFailures } from "@/db/queries/login-failures";
import {
  CannotDisable,
  findUserByEmail,
  listUsers,
  setUserDisabled,
  updateUserRole,
} from "@/db/queries/users";
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
function valid<T>(schema: { parse(v: unknown): T }, value: unknown, what: string): T {
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) throw new UsageError(`${what}: ${firstIssue(err)}`);
    throw err;
  }
}

/** The email: the first word after the command, or --email. */
function emailArg(args: ParsedArgs): string {
  const positional = args.positionals[0];
  const flag = optionalFlag(args, "email");
  const value = positional ?? flag;
  if (!value) throw new UsageError("missing email (e.g. `user set-password ana@example.com`)");
  return valid(emailSchema, value, positional ? "email" : "--email");
}

/*
 * Passwords never come from argv: other users see a command line in `ps`, and shells
 * keep it in their history. Typed at a prompt that does not echo, or piped on stdin.
 */
function refusePasswordFlag(args: ParsedArgs) {
  if ("password" in args.flags)
    throw new UsageError(
      "--password is not accepted: a password on the command line shows in `ps` and in shell history. Type it at the prompt, or pipe it with --password-stdin",
    );
}

async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk as string;
  return text.replace(/\r?\n$/, ""); // the newline `echo` adds is not part of it
}

/** Ask on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          return resolve(value);
        }
        if (ch === "\u0003") {
          finish();
          return reject(new UsageError("cancelled"));
        }
        if (ch === "\u007f" || ch === "\b") value = Array.from(value).slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(args: ParsedArgs): Promise<string> {
  refusePasswordFlag(args);
  if (args.flags["password-stdin"] === true)
    return valid(passwordSchema, await readStdin(), "password");
  if (!process.stdin.isTTY)
    throw new UsageError(
      'no terminal to ask for the password on: pipe it with --password-stdin (e.g. `printf %s "$PW" | npm run nexus -- user … --password-stdin`)',
    );
  const password = valid(passwordSchema, await promptHidden("Password: "), "password");
  if ((await promptHidden("Password again: ")) !== password)
    throw new UsageError("the passwords do not match");
  return password;
}

async function create(args: ParsedArgs) {
  refusePasswordFlag(args);
  const email = valid(emailSchema, requireFlag(args, "email"), "--email");
  const role = valid(roleSchema, requireFlag(args, "role", ROLES), "--role");
  const name = optionalFlag(args, "name");
  const password = await readPassword(args);
  const user = await createUser({ email, password, role, name }, "cli");
  console.log(`created user ${user.email} (${user.role})`);
}

async function list() {
  const users = await listUsers();
  if (users.length === 0) {
    console.log("no users yet (create the first admin at /setup or with `user create`)");
    return;
  }
  const width = Math.max(5, ...users.map((u) => u.email.length));
  console.log(
    `${"EMAIL".padEnd(width)}  ${"ROLE".padEnd(8)}  ${"STATUS".padEnd(8)}  CREATED (UTC)      NAME`,
  );
  for (const u of users)
    console.log(
      `${u.email.padEnd(width)}  ${u.role.padEnd(8)}  ${(u.disabledAt ? "disabled" : "active").padEnd(8)}  ${u.createdAt.toISOString().slice(0, 16).replace("T", " ")}   ${u.name}`,
    );
}

async function setRole(args: ParsedArgs) {
  const email = emailArg(args);
  const role = valid(roleSchema, requireFlag(args, "role", ROLES), "--role");
  const user = await findUserByEmail(email);
  if (!user) throw new UsageError(`no user with the email ${email}`);
  await updateUserRole(user.id, role, "cli");
  console.log(`${email} is now ${role}`);
}

/** The owner's way back in: new password, every session ended, the sign-in throttle reset. */
async function setPassword(args: ParsedArgs) {
  const email = emailArg(args);
  const user = await findUserByEmail(email);
  if (!user) throw new UsageError(`no user with the email ${email}`);
  const password = await readPassword(args);
  const ctx = await (await getAuth()).$context;
  await ctx.internalAdapter.updatePassword(user.id, await ctx.password.hash(password));
  await ctx.internalAdapter.deleteUserSessions(user.id);
  await clearAccountSignInFailures(email);
  console.log(
    `password of ${email} changed; their sessions were signed out and failed sign-ins forgotten${user.disabledAt ? " (the account is still disabled: `user enable` it)" : ""}`,
  );
}

async function setDisabled(args: ParsedArgs, disabled: boolean) {
  const email = emailArg(args);
  const user = await findUserByEmail(email);
  if (!user) throw new UsageError(`no user with the email ${email}`);
  try {
    await setUserDisabled(user.id, disabled, undefined, "cli");
  } catch (err) {
    if (err instanceof CannotDisable) throw new UsageError(err.message);
    throw err;
  }
  console.log(
    disabled
      ? `${email} is disabled: signed out everywhere, cannot sign in; their decisions keep their name`
      : `${email} is enabled: they can sign in again`,
  );
}

export const usersGroup: CommandGroup = {
  name: "user",
  summary: "people who sign in (roles: admin, reviewer, viewer)",
  usage: [
    `user create --email E --role ${ROLE_LIST} [--name N] [--password-stdin]`,
    "user list",
    `user set-role <email> --role ${ROLE_LIST}`,
    "user set-password <email> [--password-stdin]   (signs the user out everywhere, resets the sign-in throttle)",
    "user disable <email>   (ends their sessions; they cannot sign in; history keeps their name)",
    "user enable <email>",
    "  passwords are asked for without echo, or read from stdin with --password-stdin; never on the command line",
  ],
  async run(command, args) {
    // A flag without a value: a word after it is the email, not its value.
    const stdinFlag = args.flags["password-stdin"];
    if (typeof stdinFlag === "string") {
      args.positionals.push(stdinFlag);
      args.flags["password-stdin"] = true;
    }
    refusePasswordFlag(args);
    switch (command) {
      case "create":
        return create(args);
      case "list":
        return list();
      case "set-role":
        return setRole(args);
      case "set-password":
        return setPassword(args);
      case "disable":
        return setDisabled(args, true);
      case "enable":
        return setDisabled(args, false);
      default:
        throw new UsageError(
          `${command ? `unknown command "user ${command}"` : "missing command"}; try: ${usersGroup.usage.join(" | ")}`,
        );
    }
  },
};
