import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/questions (submit), GET /api/v1/questions (list); see server/api/requests.ts. */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("question").collection;
