import { getQuestions, postQuestion } from "@/server/api/questions";
import { methodNotAllowed, route } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** api.md: POST /api/v1/questions (ask), GET /api/v1/questions (list). */
export const POST = route(postQuestion);
export const GET = route(getQuestions);

export const PUT = methodNotAllowed("GET, POST");
export const PATCH = methodNotAllowed("GET, POST");
export const DELETE = methodNotAllowed("GET, POST");
