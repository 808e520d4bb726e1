import type { TableFigure } from "@/db/queries/status";
import type { RequestKind } from "@/lib/domain/kinds";

/** GET /api/v1/status and the /settings/status page (server/status.ts fills it in). */
export interface Status {
  version: string;
  commit: string | null;
  startedAt: string;
  uptimeSeconds: number;
  database: {
    kind: "embedded" | "server";
    where: string;
    sizeBytes: number;
    /** when the sizes were read (they are kept 30 s) */
    sizesAt: string;
    tables: TableFigure[];
    migrationsApplied: number;
    lastMigrationAt: string | null;
  };
  connections: {
    poolMax: number;
    /** PostgreSQL server: Nexus connections on the database by state (all processes) */
    byState: Record<string, number>;
    /** this process's LISTEN connection (0 on the embedded database: in-process) */
    listener: number;
    /** psql/CLI sessions on the embedded database's socket (null: not serving one) */
    psqlSessions: number | null;
    psqlPort: number | null;
  };
  longPollsWaiting: number;
  eventStreamsOpen: number;
  pending: { kind: RequestKind; count: number }[];
  oldestPending: {
    kind: RequestKind;
    id: string;
    agentId: string;
    since: string;
    ageSeconds: number;
  } | null;
  backups: {
    enabled: boolean;
    last: { kind: string; at: string; bytes: number; path: string } | null;
    next: { kind: string; at: string }[];
  };
  generatedAt: string;
  durationMs: number;
}
