import fs from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { exportAudit, verifyAudit } from "@/db/queries/audit";
import { UsageError, optionalFlag, type CommandGroup } from "./args";

/** A broken chain: the message `audit verify` ends with (exit 1). */
export class AuditBroken extends Error {
  override name = "AuditBroken";
}

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, "drain");
}

async function verify() {
  const r = await verifyAudit();
  if (r.broken) {
    throw new AuditBroken(
      `audit log BROKEN at entry ${r.broken.entryId} (chain position ${r.broken.seq}): ${r.broken.reason}. ` +
        `${r.checked} entries before it verified.`,
    );
  }
  const unsealed = r.unsealed
    ? `; ${r.unsealed} entries committed during the check are not sealed yet`
    : "";
  console.log(`audit log verified: ${r.checked} entries checked, chain intact${unsealed}`);
}

async function exportTo(file: string | undefined) {
  const out: Writable = file
    ? fs.createWriteStream(file, { mode: 0o600, flags: "wx" })
    : process.stdout;
  let n = 0;
  for await (const entry of exportAudit()) {
    await write(out, `${JSON.stringify(entry)}\n`);
    n++;
  }
  if (file) {
    out.end();
    await once(out, "finish");
    console.error(`audit export: ${n} entries written to ${file}`);
  }
}

export const auditGroup: CommandGroup = {
  name: "audit",
  summary: "the tamper-evident audit log (docs/security.md)",
  usage: [
    "audit verify                 (walks the hash chain; names the first broken entry, exit 1)",
    "audit export [--out file]    (JSON Lines in chain order, with each entry's hashes)",
  ],
  async run(command, args) {
    const allowed = command === "export" ? ["out"] : [];
    for (const f of Object.keys(args.flags))
      if (!allowed.includes(f)) throw new UsageError(`unknown option --${f}`);
    if (command === "verify") return verify();
    if (command === "export") return exportTo(optionalFlag(args, "out"));
    throw new UsageError(`audit what? verify or export`);
  },
};
