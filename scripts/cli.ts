import { logToStderr } from "@/lib/log";
import { runCli } from "./run-cli";
import { parseArgs, UsageError, type CommandGroup } from "./cli/args";
import { keysGroup } from "./cli/keys";
import { usersGroup } from "./cli/users";
import { backupGroup, restoreGroup } from "./cli/backup";
import { exportGroup } from "./cli/export";
import { metricsGroup } from "./cli/metrics";
import { escalationGroup, webhooksGroup } from "./cli/webhooks";
import { rulesGroup } from "./cli/rules";
import { auditGroup } from "./cli/audit";

/*
 * The admin CLI: `npm run nexus -- <group> <command> [--flags]`. Works on the embedded
 * database (while no server holds it) and on a PostgreSQL server. Each group lives in
 * scripts/cli/<group>.ts; register it in the list below.
 */
const groups: CommandGroup[] = [
  usersGroup,
  keysGroup,
  backupGroup,
  restoreGroup,
  exportGroup,
  webhooksGroup,
  escalationGroup,
  metricsGroup,
  rulesGroup,
  auditGroup,
];

function help() {
  const lines = ["usage: npm run nexus -- <command> [options]", ""];
  for (const g of groups) {
    lines.push(`${g.name}: ${g.summary}`);
    for (const u of g.usage) lines.push(`  ${u}`);
  }
  return lines.join("\n");
}

logToStderr();

runCli(async () => {
  const [groupName, ...rest] = process.argv.slice(2);
  if (!groupName || groupName === "help" || groupName === "--help") {
    console.log(help());
    return;
  }
  const group = groups.find((g) => g.name === groupName);
  if (!group) throw new UsageError(`unknown command "${groupName}"\n${help()}`);
  const args = parseArgs(rest);
  await group.run(args.positionals.shift(), args);
});
