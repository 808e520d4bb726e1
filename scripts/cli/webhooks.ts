import { listEscalationSettings } from "@/db/queries/escalation";
import { listWebhooks, removeWebhook, recentDeliveries } from "@/db/queries/webhooks";
import { EVENT_TYPES, WEBHOOK_FORMATS } from "@/lib/notify/events";
import { addWebhook, clearEscalation, saveEscalation, testWebhook } from "@/server/notify/webhooks";
import { ApiError } from "@/server/api/errors";
import { optionalFlag, requireFlag, UsageError, type CommandGroup, type ParsedArgs } from "./args";

const time = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "-");

/** The flag that carries each input field. */
const FLAG_OF: Record<string, string> = { agent_id: "agent" };

/** Input errors as the CLI's one-line usage errors, named by their flag. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError && err.details?.length)
      throw new UsageError(
        err.details
          .map((d) => `--${FLAG_OF[d.path.split(".")[0]!] ?? d.path.split(".")[0]}: ${d.message}`)
          .join("; "),
      );
    throw err;
  }
}

async function add(args: ParsedArgs) {
  const { row, secret } = await asUsage(() =>
    addWebhook(
      {
        url: requireFlag(args, "url"),
        events: requireFlag(args, "events"),
        format: optionalFlag(args, "format"),
        agent_id: optionalFlag(args, "agent"),
        kind: optionalFlag(args, "kind"),
        secret: optionalFlag(args, "secret"),
      },
      "cli",
    ),
  );
  console.log(
    `added webhook ${row.id} (${row.format}) → ${row.url} for ${row.events.join(", ")}` +
      `${row.agentId ? `, agent ${row.agentId}` : ""}${row.kind ? `, kind ${row.kind}` : ""}.`,
  );
  if (row.format === "standard") {
    console.log("Its signing secret is shown only once; store it now:");
    console.log(secret); // alone on the last line, for scripts: `| tail -n1`
  }
}

async function list() {
  const hooks = await listWebhooks();
  if (hooks.length === 0) {
    console.log("no webhooks yet (`webhook add --url URL --events request.created`)");
    return;
  }
  for (const h of hooks) {
    const state = h.disabledAt
      ? `DISABLED ${time(h.disabledAt)}: ${h.disabledReason ?? ""}`
      : h.failingSince
        ? `failing since ${time(h.failingSince)}`
        : "active";
    console.log(`${h.id}  ${h.format.padEnd(8)}  ${h.url}`);
    console.log(
      `    events ${h.events.join(",")}; agent ${h.agentId ?? "any"}; kind ${h.kind ?? "any"}; ${state}`,
    );
    for (const d of await recentDeliveries(h.id, 3))
      console.log(
        `    ${time(d.createdAt)}  ${d.eventType.padEnd(17)}  ${d.status.padEnd(9)}  attempts ${d.attempts}` +
          `${d.lastStatusCode ? `  HTTP ${d.lastStatusCode}` : ""}${d.lastLatencyMs !== null ? `  ${d.lastLatencyMs} ms` : ""}` +
          `${d.status === "pending" && d.attempts > 0 ? `  next ${time(d.nextAttemptAt)}` : ""}`,
      );
  }
}

const idArg = (args: ParsedArgs) => {
  const id = args.positionals[0] ?? optionalFlag(args, "id");
  if (!id) throw new UsageError("missing webhook id (see `webhook list`)");
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError(`not a webhook id: "${id}"`);
  return id;
};

async function remove(args: ParsedArgs) {
  const id = idArg(args);
  if (!(await removeWebhook(id, "cli"))) throw new UsageError(`no webhook ${id}`);
  console.log(`removed webhook ${id}`);
}

async function test(args: ParsedArgs) {
  const id = idArg(args);
  const outcome = await testWebhook(id);
  if (!outcome) throw new UsageError(`no webhook ${id}`);
  const ms = Math.round(outcome.latencyMs);
  if (!outcome.ok) throw new UsageError(`test message failed after ${ms} ms: ${outcome.error}`);
  console.log(`test message delivered: HTTP ${outcome.statusCode} in ${ms} ms`);
}

export const webhooksGroup: CommandGroup = {
  name: "webhook",
  summary: "outgoing webhooks (Standard Webhooks, Slack-compatible chat, ntfy push)",
  usage: [
    `webhook add --url URL --events ${EVENT_TYPES.slice(0, 2).join(",")} [--format ${WEBHOOK_FORMATS.join("|")}] [--agent A] [--kind K] [--secret whsec_…]`,
    `    events: ${EVENT_TYPES.join(", ")}; a standard webhook's secret is printed once`,
    "webhook list",
    "webhook remove <id>",
    "webhook test <id>   (sends a webhook.test message now)",
  ],
  async run(command, args) {
    switch (command) {
      case "add":
        return add(args);
      case "list":
        return list();
      case "remove":
        return remove(args);
      case "test":
        return test(args);
      default:
        throw new UsageError(
          `${command ? `unknown command "webhook ${command}"` : "missing command"}; try: ${webhooksGroup.usage.join(" | ")}`,
        );
    }
  },
};

async function escalationSet(args: ParsedArgs) {
  const agent = optionalFlag(args, "agent");
  const minutes = requireFlag(args, "minutes");
  const saved = await asUsage(() => saveEscalation({ minutes, agent_id: agent }, "cli"));
  const who = saved.agentId ? `agent "${saved.agentId}"` : "all agents";
  console.log(
    saved.minutes === 0
      ? `escalation off for ${who}`
      : `requests of ${who} escalate after ${saved.minutes} minutes pending`,
  );
}

async function escalationShow() {
  const all = await listEscalationSettings();
  if (all.length === 0) {
    console.log("no escalation set (`escalation set --minutes N [--agent A]`)");
    return;
  }
  for (const s of all)
    console.log(
      `${s.agentId ?? "(global)"}: ${s.minutes === 0 ? "off" : `${s.minutes} minutes`}  (set ${time(s.updatedAt)} by ${s.updatedBy ?? "?"})`,
    );
}

async function escalationClear(args: ParsedArgs) {
  const agent = optionalFlag(args, "agent") ?? null;
  if (!(await clearEscalation(agent, "cli")))
    throw new UsageError(`no escalation setting for ${agent ? `agent "${agent}"` : "all agents"}`);
  console.log(`escalation setting removed for ${agent ? `agent "${agent}"` : "all agents"}`);
}

export const escalationGroup: CommandGroup = {
  name: "escalation",
  summary: "escalate requests pending longer than N minutes (fires request.escalated once)",
  usage: [
    "escalation set --minutes N [--agent A]   (0 = off; --agent overrides the global setting)",
    "escalation show",
    "escalation clear [--agent A]",
  ],
  async run(command, args) {
    switch (command) {
      case "set":
        return escalationSet(args);
      case "show":
      case "list":
        return escalationShow();
      case "clear":
        return escalationClear(args);
      default:
        throw new UsageError(
          `${command ? `unknown command "escalation ${command}"` : "missing command"}; try: ${escalationGroup.usage.join(" | ")}`,
        );
    }
  },
};
