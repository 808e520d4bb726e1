import { rebuildMetricsRollup } from "@/db/queries/metrics-rollup";
import { UsageError, type CommandGroup } from "./args";

/*
 * `npm run nexus -- metrics rebuild`: recompute hitl_metrics_rollup from hitl_metrics
 * (after rows were deleted or changed by hand; inserts are rolled up by the trigger).
 * On the embedded database while the server runs, it goes through the server's psql
 * socket like every CLI command.
 */
export const metricsGroup: CommandGroup = {
  name: "metrics",
  summary: "the metrics rollup behind long periods of /metrics and /api/v1/metrics",
  usage: ["metrics rebuild   recompute the rollup from hitl_metrics (one transaction)"],
  async run(command) {
    if (command !== "rebuild")
      throw new UsageError(`unknown metrics command "${command ?? ""}" (rebuild)`);
    const started = Date.now();
    const r = await rebuildMetricsRollup();
    console.log(
      `rebuilt the metrics rollup: ${r.metrics.toLocaleString("en-US")} hitl_metrics rows → ` +
        `${r.rollupRows.toLocaleString("en-US")} rollup rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  },
};
