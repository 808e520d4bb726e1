import { execFile, spawn } from "node:child_process";
import type { DbConfig } from "@/lib/env";

type ServerConfig = Extract<DbConfig, { kind: "server" }>;

export class BackupError extends Error {
  override name = "BackupError";
}

/**
 * libpq environment for pg_dump/psql: the connection (password included) goes in the
 * environment, never on the command line where `ps` would show it.
 */
export function libpqEnv(config: ServerConfig): Record<string, string> {
  const u = new URL(config.url);
  const e: Record<string, string> = {
    PGHOST: config.host,
    PGPORT: String(config.port),
    PGUSER: config.user,
    PGDATABASE: config.database,
    PGAPPNAME: "nexus-backup",
    PGCONNECT_TIMEOUT: "10",
  };
  const password = decodeURIComponent(u.password);
  if (password) e.PGPASSWORD = password;
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) e.PGSSLMODE = sslmode;
  return e;
}

/** Major version of the pg_dump on PATH, e.g. 15 for "pg_dump (PostgreSQL) 15.20 (Debian …)". */
export function pgDumpMajor(
  pathEnv = process.env.PATH,
): Promise<{ major: number; version: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      "pg_dump",
      ["--version"],
      { env: { ...process.env, PATH: pathEnv }, timeout: 10_000 },
      (err, stdout) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          reject(
            new BackupError(
              code === "ENOENT"
                ? "pg_dump was not found on PATH. Install the PostgreSQL client tools matching your server (e.g. apt-get install postgresql-client-15) to back up a PostgreSQL server."
                : `pg_dump --version failed: ${err.message}`,
            ),
          );
          return;
        }
        const m = /(\d+)(?:\.(\d+))?/.exec(stdout);
        if (!m)
          return reject(new BackupError(`cannot read the pg_dump version from "${stdout.trim()}"`));
        resolve({ major: Number(m[1]), version: stdout.trim() });
      },
    );
  });
}

/**
 * Dump a PostgreSQL server database as plain SQL into `file` with the pg_dump on PATH.
 * Refuses a pg_dump older than the server (it would fail or produce an incomplete dump).
 */
export async function runPgDump(config: ServerConfig, serverMajor: number, file: string) {
  const { major, version } = await pgDumpMajor();
  if (major < serverMajor)
    throw new BackupError(
      `pg_dump ${major} cannot back up a PostgreSQL ${serverMajor} server (found "${version}"). Install postgresql-client-${serverMajor} or newer and put it first on PATH.`,
    );
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      "pg_dump",
      ["--format=plain", "--no-owner", "--no-privileges", "--encoding=UTF8", `--file=${file}`],
      { env: { ...process.env, ...libpqEnv(config) }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    child.on("error", (err) => reject(new BackupError(`pg_dump could not start: ${err.message}`)));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new BackupError(
            `pg_dump failed (${signal ? `signal ${signal}` : `exit code ${code}`}): ${stderr.trim() || "no message"}`,
          ),
        );
    });
  });
}
