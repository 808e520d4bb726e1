import "server-only";
import { parseId, revisions } from "@/server/requests/service";
import { notFound } from "./errors";
import { authorize, methodNotAllowed, NO_STORE, route } from "./route";
import { approvalJson } from "./serialize";

/*
 * GET /api/v1/approvals/{id}/revisions: the chain of revisions an approval belongs to,
 * first version first, without diffs (each is one GET away).
 */

type Ctx = { params: Promise<{ id: string }> };

async function list(request: Request, ctx: Ctx): Promise<Response> {
  await authorize(request, "read", { allowSession: true });
  const id = parseId((await ctx.params).id);
  const chain = await revisions(id);
  if (!chain) throw notFound("Approval");
  const now = new Date();
  return Response.json(
    { items: chain.map((row) => approvalJson(row, { withDiff: false, now })) },
    { headers: NO_STORE },
  );
}

const notAllowed = methodNotAllowed("GET");
export const revisionEndpoints = {
  GET: route(list),
  POST: notAllowed,
  PUT: notAllowed,
  PATCH: notAllowed,
  DELETE: notAllowed,
};
