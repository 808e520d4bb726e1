import { getMetrics } from "@/db/queries/metrics";
import { publicUrl } from "@/lib/env";
import { metricsJson } from "@/lib/metrics/json";
import { parseMetricsFilter } from "@/lib/metrics/period";
import { ApiError } from "@/server/api/errors";
import { authorize, methodNotAllowed, NO_STORE, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/metrics?period=24h|7d|30d|all|custom&from=&to=&type=approval|question */
export const GET = route(async (request) => {
  await authorize(request, "read", { allowSession: true });
  const now = new Date();
  const parsed = parseMetricsFilter(new URL(request.url).searchParams, now);
  if (!parsed.ok) throw new ApiError("invalid_request", "Invalid metrics filter.", parsed.issues);
  const report = await getMetrics(parsed.filter, now);
  return Response.json(metricsJson(parsed.filter, report, publicUrl()), { headers: NO_STORE });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
