import "server-only";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getDatabase } from "@/db/client";
import { pendingOverview } from "@/db/queries/request-store";
import { databaseFigures, serverConnections } from "@/db/queries/status";
import type { Status } from "@/lib/ops/status";
import { env } from "@/lib/env";
import { lastBackup, nextBackups } from "./backup-status";
import { slotsOpen as openSlots } from "./events/limits";
import { pgliteSocket } from "./pglite-socket";

export type { Status };

/*
 * The operators' view (GET /api/v1/status, /settings/status): each figure from one
 * cheap query (catalog, an index) or an in-memory counter.
 */

const g = globalThis as unknown as { __nexusStartedAt?: number; __nexusBuild?: Build };
g.__nexusStartedAt ??= Date.now();

interface Build {
  version: string;
  commit: string | null;
}

/** package.json's version and the commit: NEXUS_COMMIT, else `git rev-parse HEAD` once. */
function build(): Build {
  if (g.__nexusBuild) return g.__nexusBuild;
  const root = /* turbopackIgnore: true */ process.cwd();
  let version = "unknown";
  try {
    version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
  } catch {
    /* not beside package.json */
  }
  let commit = env().NEXUS_COMMIT ?? null;
  if (!commit) {
    try {
      commit = execFileSync("git", ["rev-parse", "HEAD"], {
        cwd: root,
        encoding: "utf8",
        timeout: 2000,
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      commit = null; // no git (e.g. a container image): set NEXUS_COMMIT at build
    }
  }
  return (g.__nexusBuild = { version, commit });
}

export async function readStatus(): Promise<Status> {
  const started = performance.now();
  const database = await getDatabase();
  const { config } = database;
  const now = Date.now();
  const [figures, byState, pendings, last] = await Promise.all([
    databaseFigures(),
    config.kind === "server" ? serverConnections() : Promise.resolve({} as Record<string, number>),
    pendingOverview(),
    lastBackup(),
  ]);
  let oldest: Status["oldestPending"] = null;
  for (const p of pendings) {
    const t = p.oldest?.timestamp?.getTime();
    if (p.oldest && t !== undefined && (!oldest || t < Date.parse(oldest.since)))
      oldest = {
        kind: p.kind,
        id: p.oldest.id,
        agentId: p.oldest.agentId,
        since: new Date(t).toISOString(),
        ageSeconds: Math.max(0, Math.round((now - t) / 1000)),
      };
  }
  const socket = pgliteSocket();
  const next = nextBackups();
  const { version, commit } = build();
  return {
    version,
    commit,
    startedAt: new Date(g.__nexusStartedAt!).toISOString(),
    uptimeSeconds: Math.round((now - g.__nexusStartedAt!) / 1000),
    database: {
      kind: config.kind,
      where:
        config.kind === "embedded"
          ? config.dataDir
          : `${config.host}:${config.port}/${config.database}`,
      sizeBytes: figures.sizeBytes,
      sizesAt: figures.sizesAt,
      tables: figures.tables,
      migrationsApplied: figures.migrations.applied,
      lastMigrationAt: figures.migrations.last,
    },
    connections: {
      poolMax: config.kind === "server" ? config.poolMax : 1,
      byState,
      listener: config.kind === "server" ? 1 : 0,
      psqlSessions: socket ? socket.sessions() : null,
      psqlPort: socket ? socket.port : null,
    },
    longPollsWaiting: openSlots("wait"),
    eventStreamsOpen: openSlots("stream"),
    pending: pendings.map((p) => ({ kind: p.kind, count: p.count })),
    oldestPending: oldest,
    backups: {
      enabled: env().NEXUS_BACKUP === "on",
      last: last
        ? { kind: last.kind, at: last.time.toISOString(), bytes: last.bytes, path: last.path }
        : null,
      next: Object.entries(next ?? {})
        .map(([kind, at]) => ({ kind, at: at.toISOString() }))
        .sort((a, b) => a.at.localeCompare(b.at)),
    },
    generatedAt: new Date(now).toISOString(),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
