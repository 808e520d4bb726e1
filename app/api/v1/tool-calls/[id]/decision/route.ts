import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** POST /api/v1/tool-calls/{id}/decision (reviewer keys only). */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("tool_call").decision;
