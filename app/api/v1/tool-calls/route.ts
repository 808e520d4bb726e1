import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/tool-calls (submit), GET /api/v1/tool-calls (list); see server/api/requests.ts. */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("tool_call").collection;
