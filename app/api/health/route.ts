import { databaseHealthy } from "@/db/queries/health";
import { methodNotAllowed, NO_STORE, route } from "@/server/api/route";
import { isShuttingDown } from "@/server/lifecycle";

export const dynamic = "force-dynamic";

/**
 * docs/api.md: 200 {status, database} or 503; no key needed; reveals nothing else.
 * While the process is shutting down it answers 503 so a load balancer stops sending.
 */
export const GET = route(
  async () => {
    if (isShuttingDown())
      return Response.json(
        { status: "shutting_down", database: "ok" },
        { status: 503, headers: NO_STORE },
      );
    const ok = await databaseHealthy();
    return Response.json(
      ok ? { status: "ok", database: "ok" } : { status: "unavailable", database: "unreachable" },
      { status: ok ? 200 : 503, headers: NO_STORE },
    );
  },
  { quiet: true },
);

export const POST = methodNotAllowed("GET");
