import { authorize, methodNotAllowed, route } from "@/server/api/route";
import { ensureListening, subscribe } from "@/server/events/hub";
import { eventStream } from "@/server/events/sse";

export const dynamic = "force-dynamic";

/** api.md: GET /api/v1/events — Server-Sent Events (request.created, request.decided). */
export const GET = route(async (request) => {
  await authorize(request, "read", { allowSession: true });
  await ensureListening();
  const stream = eventStream({
    subscribeAll: (listener) => subscribe(null, listener),
    signal: request.signal,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: keeps the compression middleware from buffering the stream
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
