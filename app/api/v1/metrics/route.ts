import { getMetrics } from "@/db/queries/metrics";
import { apiPrincipal } from "@/server/auth/api-auth";
import { can } from "@/lib/auth/principal";
import { publicUrl } from "@/lib/env";
import { log } from "@/lib/log";
import { metricsJson } from "@/lib/metrics/json";
import { parseMetricsFilter } from "@/lib/metrics/period";

export const dynamic = "force-dynamic";

// Local error responder in api.md's shape; the shared server/api helpers replace it later.
function apiError(
  status: number,
  code: string,
  message: string,
  details: { path: string; message: string }[] = [],
) {
  return Response.json(
    { error: { code, message, details } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** GET /api/v1/metrics?period=24h|7d|30d|all|custom&from=&to=&type=approval|question */
export async function GET(request: Request) {
  let principal;
  try {
    principal = await apiPrincipal(request, { allowSession: true });
  } catch (err) {
    log().error({ err }, "metrics: authentication failed");
    return apiError(503, "service_unavailable", "The database is unreachable; retry later.");
  }
  if (!principal) return apiError(401, "unauthorized", "Missing or invalid API key.");
  if (!can(principal, "read")) return apiError(403, "forbidden", "This key cannot read metrics.");

  const now = new Date();
  const parsed = parseMetricsFilter(new URL(request.url).searchParams, now);
  if (!parsed.ok) {
    return apiError(400, "invalid_request", "Invalid metrics filter.", parsed.issues);
  }
  try {
    const report = await getMetrics(parsed.filter, now);
    return Response.json(metricsJson(parsed.filter, report, publicUrl()), {
      headers: { "Cache-Control": "no-store" },
    });
  } catch (err) {
    log().error({ err }, "metrics: query failed");
    return apiError(503, "service_unavailable", "The database is unreachable; retry later.");
  }
}
