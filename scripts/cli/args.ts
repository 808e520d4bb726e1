/** Tiny argument parser for the admin CLI: `--name value`, `--flag`, positionals. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (inline !== undefined) flags[name] = inline;
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) flags[name] = argv[++i]!;
      else flags[name] = true;
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function requireFlag(args: ParsedArgs, name: string, allowed?: readonly string[]): string {
  const v = args.flags[name];
  if (typeof v !== "string" || v === "")
    throw new UsageError(`missing --${name}${allowed ? ` (${allowed.join("|")})` : ""}`);
  if (allowed && !allowed.includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}; got "${v}"`);
  return v;
}

export function optionalFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

/** A command group: `npm run nexus -- <group> <command> [flags]`. */
export interface CommandGroup {
  name: string;
  summary: string;
  /** usage lines shown by `npm run nexus -- help` */
  usage: string[];
  run(command: string | undefined, args: ParsedArgs): Promise<void>;
}
