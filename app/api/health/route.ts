import { databaseHealthy } from "@/db/queries/health";
import { isShuttingDown } from "@/server/lifecycle";
import { withRequestLog } from "@/server/request-log";

export const dynamic = "force-dynamic";

const headers = { "Cache-Control": "no-store" };

/**
 * api.md: 200 {status, database} or 503; no key needed; reveals nothing else.
 * While the process is shutting down it answers 503 so a load balancer stops sending.
 */
export const GET = withRequestLog(
  async () => {
    if (isShuttingDown())
      return Response.json({ status: "shutting_down", database: "ok" }, { status: 503, headers });
    const ok = await databaseHealthy();
    return Response.json(
      ok ? { status: "ok", database: "ok" } : { status: "unavailable", database: "unreachable" },
      { status: ok ? 200 : 503, headers },
    );
  },
  { quiet: true },
);
