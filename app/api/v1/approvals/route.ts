import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/approvals (submit), GET /api/v1/approvals (list); see server/api/requests.ts. */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("approval").collection;
