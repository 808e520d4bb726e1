import "server-only";
import { randomUUID } from "node:crypto";
import { createApproval, listApprovals } from "@/db/queries/approvals";
import { decideApproval, getApproval } from "@/db/queries/decisions";
import type { ApprovalRow } from "@/db/schema";
import { actorName } from "@/lib/auth/principal";
import { approvalStatus } from "@/lib/domain/status";
import { waitUntilSettled } from "@/server/events/wait";
import { readJsonBody } from "./body";
import { ApiError, notFound } from "./errors";
import { authorize, NO_STORE, parseWith, queryOf } from "./route";
import {
  ApprovalListQuery,
  CreateApprovalInput,
  DecisionInput,
  DEFAULT_LIST_LIMIT,
  IdParam,
  WaitQuery,
} from "@/lib/api/schemas";
import { approvalJson, decodeCursor, encodeCursor } from "./serialize";

/* The approval endpoints of api.md; app/api/v1/approvals/** only route to these. */

export async function postApproval(request: Request): Promise<Response> {
  await authorize(request, "submit");
  const body = await readJsonBody(request);
  const input = parseWith(CreateApprovalInput, body, "The approval request is invalid.");
  const outcome = await createApproval({
    id: input.id ?? randomUUID(),
    filePath: input.file_path,
    diff: input.diff,
    description: input.description ?? null,
    agentId: input.agent_id,
    timestamp: input.timestamp ? new Date(input.timestamp) : null,
    expiresInS: input.expires_in_s ?? null,
  });
  if (outcome.kind === "different") {
    throw new ApiError(
      "conflict",
      "An approval with this id already exists with different content. Use a new id for a new request.",
      [{ path: "id", message: "Already used for a different approval" }],
    );
  }
  const location = `/api/v1/approvals/${outcome.row.id}`;
  // api.md: `diff` only in GET /api/v1/approvals/{id}; the agent has just sent it anyway
  return Response.json(approvalJson(outcome.row, { withDiff: false }), {
    status: outcome.kind === "created" ? 201 : 200,
    headers: { ...NO_STORE, Location: location },
  });
}

export async function getApprovals(request: Request): Promise<Response> {
  await authorize(request, "read", { allowSession: true });
  const q = parseWith(ApprovalListQuery, queryOf(request), "The query is invalid.");
  const limit = q.limit ?? DEFAULT_LIST_LIMIT;
  const page = await listApprovals({
    status: q.status,
    agentId: q.agent_id,
    limit,
    cursor: decodeCursor(q.cursor),
  });
  const now = new Date();
  return Response.json(
    {
      items: page.items.map((row) => approvalJson(row, { withDiff: false, now })),
      next_cursor: encodeCursor(page.next),
    },
    { headers: NO_STORE },
  );
}

const isPending = (row: ApprovalRow, now: Date) => approvalStatus(row, now) === "pending";

export async function getOneApproval(request: Request, rawId: string): Promise<Response> {
  await authorize(request, "read", { allowSession: true });
  const id = parseWith(IdParam, rawId, "The id is invalid.", "id");
  const { wait } = parseWith(WaitQuery, queryOf(request), "The query is invalid.");
  const row = await waitUntilSettled({
    id,
    waitS: wait ?? 0,
    read: () => getApproval(id),
    isPending,
    expiresAt: (r) => r.expiresAt,
    signal: request.signal,
  });
  if (!row) throw notFound("Approval");
  return Response.json(approvalJson(row), { headers: NO_STORE });
}

export async function postDecision(request: Request, rawId: string): Promise<Response> {
  const principal = await authorize(request, "decide");
  const id = parseWith(IdParam, rawId, "The id is invalid.", "id");
  const input = parseWith(DecisionInput, await readJsonBody(request), "The decision is invalid.");
  const result = await decideApproval({
    id,
    approved: input.approved,
    comment: input.comment ?? null,
    decidedBy: actorName(principal),
  });
  if (result.ok) {
    return Response.json(approvalJson(result.row, { withDiff: false }), { headers: NO_STORE });
  }
  if (result.reason === "not_found") throw notFound("Approval");
  const current = approvalJson(result.row!, { withDiff: false });
  throw new ApiError(
    "conflict",
    result.reason === "expired"
      ? "This approval expired before it was decided; it can no longer be decided."
      : `This approval was already ${current.status} by ${current.decided_by ?? "someone else"}.`,
    undefined,
    current,
  );
}
