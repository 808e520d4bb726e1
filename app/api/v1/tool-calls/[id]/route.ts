import { requestEndpoints } from "@/server/api/requests";

export const dynamic = "force-dynamic";

/** GET /api/v1/tool-calls/{id}[?wait=0..60] (long poll). */
export const { GET, POST, PUT, PATCH, DELETE } = requestEndpoints("tool_call").one;
