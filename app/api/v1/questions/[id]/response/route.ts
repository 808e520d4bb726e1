import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/questions/{id}/response (reviewer keys only). */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("question").decision;
