import { handleAuthRequest } from "@/server/auth/handler";
import { withRequestLog } from "@/server/request-log";

// better-auth's endpoints (sign-in, sign-out, session); see server/auth/handler.ts.
export const dynamic = "force-dynamic";

export const GET = withRequestLog((request: Request) => handleAuthRequest(request));
export const POST = withRequestLog((request: Request) => handleAuthRequest(request));
