import { once } from "node:events";
import type { Writable } from "node:stream";
import { getDatabase } from "@/db/client";
import {
  EXPORT_FORMATS,
  EXPORTS,
  exportChunks,
  writeExportFile,
  type ExportFormat,
  type ExportName,
} from "@/db/ops/export";
import { parseSince } from "@/lib/export/format";
import { UsageError, optionalFlag, requireFlag, type CommandGroup } from "./args";

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, "drain");
}

export const exportGroup: CommandGroup = {
  name: "export",
  summary: "stream a table as CSV (COPY … CSV HEADER conventions) or a JSON array",
  usage: [
    "export approvals|questions|metrics --format csv|json [--since 2026-01-01T00:00Z] [--output file]",
  ],
  async run(what, args) {
    const names = Object.keys(EXPORTS);
    if (!what || !names.includes(what))
      throw new UsageError(`export what? one of ${names.join(", ")}`);
    for (const f of Object.keys(args.flags))
      if (!["format", "since", "output"].includes(f)) throw new UsageError(`unknown option --${f}`);
    const format = requireFlag(args, "format", EXPORT_FORMATS) as ExportFormat;
    const sinceText = optionalFlag(args, "since");
    const since = sinceText === undefined ? undefined : parseSince(sinceText);
    if (since === null)
      throw new UsageError(
        `--since must be an ISO date or date-time (UTC unless an offset is given), got "${sinceText}"`,
      );
    const output = optionalFlag(args, "output");

    const database = await getDatabase();
    const chunks = exportChunks({ database, name: what as ExportName, format, since });
    if (!output) {
      process.stdout.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EPIPE") process.exit(0); // `| head`: the reader is done
        throw err;
      });
      for await (const chunk of chunks) await write(process.stdout, chunk);
      return;
    }
    // Mode 0600, written beside the target then renamed (db/ops/export.ts).
    const target = await writeExportFile(chunks, output);
    console.error(`export written: ${target}`);
  },
};
