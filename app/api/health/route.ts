import { databaseHealthy } from "@/db/queries/health";

export const dynamic = "force-dynamic";

/** api.md: 200 {status, database} or 503; no key needed; reveals nothing else. */
export async function GET() {
  const ok = await databaseHealthy();
  return Response.json(
    ok ? { status: "ok", database: "ok" } : { status: "unavailable", database: "unreachable" },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
