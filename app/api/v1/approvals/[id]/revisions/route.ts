import { revisionEndpoints } from "@/server/api/revisions";

export const dynamic = "force-dynamic";

/** GET /api/v1/approvals/{id}/revisions: the chain of revisions, first version first. */
export const { GET, POST, PUT, PATCH, DELETE } = revisionEndpoints;
