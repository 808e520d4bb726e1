import { handleAuthRequest } from "@/server/auth/handler";

// better-auth's endpoints (sign-in, sign-out, session); see server/auth/handler.ts.
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleAuthRequest(request);
export const POST = (request: Request) => handleAuthRequest(request);
