import "server-only";
import { randomUUID } from "node:crypto";
import { getQuestion, respondToQuestion } from "@/db/queries/decisions";
import { createQuestion, listQuestions } from "@/db/queries/questions";
import type { QuestionRow } from "@/db/schema";
import { actorName } from "@/lib/auth/principal";
import { questionStatus } from "@/lib/domain/status";
import { waitUntilSettled } from "@/server/events/wait";
import { readJsonBody } from "./body";
import { ApiError, notFound } from "./errors";
import { authorize, NO_STORE, parseWith, queryOf } from "./route";
import {
  CreateQuestionInput,
  DEFAULT_LIST_LIMIT,
  IdParam,
  QuestionListQuery,
  ResponseInput,
  WaitQuery,
} from "@/lib/api/schemas";
import { decodeCursor, encodeCursor, questionJson } from "./serialize";

/* The question endpoints of api.md; app/api/v1/questions/** only route to these. */

export async function postQuestion(request: Request): Promise<Response> {
  await authorize(request, "submit");
  const body = await readJsonBody(request);
  const input = parseWith(CreateQuestionInput, body, "The question is invalid.");
  const outcome = await createQuestion({
    id: input.id ?? randomUUID(),
    question: input.question,
    context: (input.context ?? null) as Record<string, unknown> | null,
    agentId: input.agent_id,
    timestamp: input.timestamp ? new Date(input.timestamp) : null,
    expiresInS: input.expires_in_s ?? null,
  });
  if (outcome.kind === "different") {
    throw new ApiError(
      "conflict",
      "A question with this id already exists with different content. Use a new id for a new question.",
      [{ path: "id", message: "Already used for a different question" }],
    );
  }
  return Response.json(questionJson(outcome.row), {
    status: outcome.kind === "created" ? 201 : 200,
    headers: { ...NO_STORE, Location: `/api/v1/questions/${outcome.row.id}` },
  });
}

export async function getQuestions(request: Request): Promise<Response> {
  await authorize(request, "read", { allowSession: true });
  const q = parseWith(QuestionListQuery, queryOf(request), "The query is invalid.");
  const page = await listQuestions({
    status: q.status,
    agentId: q.agent_id,
    limit: q.limit ?? DEFAULT_LIST_LIMIT,
    cursor: decodeCursor(q.cursor),
  });
  const now = new Date();
  return Response.json(
    {
      items: page.items.map((row) => questionJson(row, { now })),
      next_cursor: encodeCursor(page.next),
    },
    { headers: NO_STORE },
  );
}

const isPending = (row: QuestionRow, now: Date) => questionStatus(row, now) === "pending";

export async function getOneQuestion(request: Request, rawId: string): Promise<Response> {
  await authorize(request, "read", { allowSession: true });
  const id = parseWith(IdParam, rawId, "The id is invalid.", "id");
  const { wait } = parseWith(WaitQuery, queryOf(request), "The query is invalid.");
  const row = await waitUntilSettled({
    id,
    waitS: wait ?? 0,
    read: () => getQuestion(id),
    isPending,
    expiresAt: (r) => r.expiresAt,
    signal: request.signal,
  });
  if (!row) throw notFound("Question");
  return Response.json(questionJson(row), { headers: NO_STORE });
}

export async function postResponse(request: Request, rawId: string): Promise<Response> {
  const principal = await authorize(request, "decide");
  const id = parseWith(IdParam, rawId, "The id is invalid.", "id");
  const input = parseWith(ResponseInput, await readJsonBody(request), "The response is invalid.");
  const result = await respondToQuestion({
    id,
    response: input.response,
    respondedBy: actorName(principal),
  });
  if (result.ok) return Response.json(questionJson(result.row), { headers: NO_STORE });
  if (result.reason === "not_found") throw notFound("Question");
  const current = questionJson(result.row!);
  throw new ApiError(
    "conflict",
    result.reason === "expired"
      ? "This question expired before it was answered; it can no longer be answered."
      : `This question was already answered by ${current.responded_by ?? "someone else"}.`,
    undefined,
    current,
  );
}
