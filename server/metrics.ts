import "server-only";
import client from "prom-client";
import { getDatabase } from "@/db/client";
import { pendingOverview } from "@/db/queries/request-store";
import { responseHistogram, serverConnections } from "@/db/queries/status";
import { openApiDocument } from "@/lib/api/openapi";
import { routePattern } from "@/lib/api/route-pattern";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";
import { lastBackup } from "./backup-status";
import { slotsOpen as openSlots } from "./events/limits";
import { pgliteSocket } from "./pglite-socket";

/*
 * Prometheus metrics (GET /api/prometheus). Two sources:
 * - per process, in memory: counters of requests created and decisions taken by this
 *   process, the HTTP histogram, long polls and event streams open, Node's own metrics.
 *   Summed across processes by PromQL (sum without(instance)), as Prometheus expects;
 * - from the database, the same on every process: pending requests, the response-time
 *   histogram (read from hitl_metrics, so it equals the metrics page), connections,
 *   the last backup. Take one process's value (max without(instance)), never the sum.
 * Label values come from fixed lists (kinds from the kinds table, route patterns from
 * the OpenAPI document): bounded cardinality whatever callers send.
 */

/** Response-time histogram bounds, seconds: 1 s … 1 day. */
export const RESPONSE_BUCKETS_S = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 86400];

interface Metrics {
  registry: client.Registry;
  created: client.Counter<"kind">;
  decisions: client.Counter<"kind" | "outcome" | "by">;
  http: client.Histogram<"route" | "method" | "status">;
}

const g = globalThis as unknown as { __nexusMetrics?: Metrics };

let patterns: string[] | undefined;
const routePatterns = () =>
  (patterns ??= [
    ...Object.keys(openApiDocument().paths),
    "/api/v1/status",
    "/api/prometheus",
    "/api/auth/{path}",
    "/history/export",
  ]);

function build(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // gauges named like counters: `promtool check metrics` rejects them
  for (const name of [
    "nodejs_active_handles_total",
    "nodejs_active_requests_total",
    "nodejs_active_resources_total",
  ])
    registry.removeSingleMetric(name);
  const created = new client.Counter({
    name: "nexus_requests_created_total",
    help: "Requests created by agents through this process, by kind",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const decisions = new client.Counter({
    name: "nexus_decisions_total",
    help: "Decisions taken through this process, by kind, outcome and who (human or rule)",
    labelNames: ["kind", "outcome", "by"] as const,
    registers: [registry],
  });
  for (const kind of REQUEST_KINDS) created.inc({ kind }, 0); // every kind shows, from 0
  const http = new client.Histogram({
    name: "nexus_http_request_duration_seconds",
    help: "HTTP requests of the API handled by this process, by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  new client.Gauge({
    name: "nexus_requests_pending",
    help: "Requests waiting for a human decision, by kind (from the database)",
    labelNames: ["kind"] as const,
    registers: [registry],
    async collect() {
      for (const p of await pendingOverview()) this.set({ kind: p.kind }, p.count);
    },
  });
  new client.Gauge({
    name: "nexus_long_polls_waiting",
    help: "Long polls (GET …/{id}?wait=N) waiting in this process",
    registers: [registry],
    collect() {
      this.set(openSlots("wait"));
    },
  });
  new client.Gauge({
    name: "nexus_event_streams_open",
    help: "Server-sent event streams open in this process",
    registers: [registry],
    collect() {
      this.set(openSlots("stream"));
    },
  });
  new client.Gauge({
    name: "nexus_db_pool_connections",
    help: "Database connections by state: max is this process's pool size; the others count every Nexus process's connections on the PostgreSQL server (pg_stat_activity), or on the embedded database its one session (active) and the psql socket sessions (psql)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { config } = await getDatabase();
      if (config.kind === "embedded") {
        this.set({ state: "max" }, 1);
        this.set({ state: "active" }, 1);
        this.set({ state: "psql" }, pgliteSocket()?.sessions() ?? 0);
        return;
      }
      this.set({ state: "max" }, config.poolMax);
      for (const [state, n] of Object.entries(await serverConnections())) this.set({ state }, n);
    },
  });
  new client.Gauge({
    name: "nexus_backup_last_success_timestamp_seconds",
    help: "When the newest complete backup in NEXUS_BACKUP_DIR was written (Unix time; 0: none)",
    registers: [registry],
    async collect() {
      const last = await lastBackup();
      this.set(last ? last.time.getTime() / 1000 : 0);
    },
  });
  registry.registerMetric(responseSecondsMetric() as unknown as client.Metric);
  return { registry, created, decisions, http };
}

/**
 * nexus_response_seconds, computed from hitl_metrics at each scrape (so its counts and
 * sums are exactly the metrics page's, across every process and restart).
 */
function responseSecondsMetric() {
  const name = "nexus_response_seconds";
  const help = "Human response time (request to decision), seconds, from hitl_metrics, by kind";
  return {
    name,
    help,
    type: "histogram",
    aggregator: "omit",
    labelNames: ["kind", "le"],
    reset() {},
    async get() {
      const kinds = REQUEST_KINDS as readonly string[];
      const data = await responseHistogram(
        kinds,
        RESPONSE_BUCKETS_S.map((s) => s * 1000),
      );
      const values: { metricName: string; labels: Record<string, string>; value: number }[] = [];
      for (const kind of kinds) {
        const h = data.get(kind) ?? {
          buckets: RESPONSE_BUCKETS_S.map(() => 0),
          sumMs: 0,
          count: 0,
        };
        RESPONSE_BUCKETS_S.forEach((le, i) =>
          values.push({
            metricName: `${name}_bucket`,
            labels: { kind, le: String(le) },
            value: h.buckets[i]!,
          }),
        );
        values.push({ metricName: `${name}_bucket`, labels: { kind, le: "+Inf" }, value: h.count });
        values.push({ metricName: `${name}_sum`, labels: { kind }, value: h.sumMs / 1000 });
        values.push({ metricName: `${name}_count`, labels: { kind }, value: h.count });
      }
      return { name, help, type: "histogram", values, aggregator: "omit" };
    },
  };
}

export function metrics(): Metrics {
  return (g.__nexusMetrics ??= build());
}

/** The edge wrapper's hook: one observation per API request. */
export function observeHttp(request: Request, status: number, seconds: number) {
  try {
    const route = routePattern(new URL(request.url).pathname, routePatterns());
    metrics().http.observe({ route, method: request.method, status: String(status) }, seconds);
  } catch {
    /* metrics never break a request */
  }
}

export function countCreated(kind: RequestKind) {
  metrics().created.inc({ kind });
}

export function countDecision(kind: RequestKind, outcome: string, by: "human" | "rule") {
  metrics().decisions.inc({ kind, outcome, by });
}

export async function prometheusText(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
