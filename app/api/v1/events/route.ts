import { authorize, methodNotAllowed, route } from "@/server/api/route";
import { ensureListening, subscribe } from "@/server/events/hub";
import { acquireSlot } from "@/server/events/limits";
import { watchAccess } from "@/server/events/revalidate";
import { eventStream } from "@/server/events/sse";
import { principalId } from "@/server/request-context";

export const dynamic = "force-dynamic";

/** docs/api.md: GET /api/v1/events — Server-Sent Events (request.created, request.decided). */
export const GET = route(async (request) => {
  const principal = await authorize(request, "read", { allowSession: true });
  // a caller may hold only so many streams (429 beyond); the slot is released when the
  // stream ends: client gone, server stopping, or access lost
  const release = acquireSlot("stream", principalId(principal));
  const end = new AbortController();
  const close = () => end.abort();
  try {
    await ensureListening();
  } catch (err) {
    release();
    throw err;
  }
  request.signal.addEventListener("abort", close, { once: true });
  if (request.signal.aborted) close();
  // revoked key, signed out, disabled or demoted: the stream closes within 5 s
  watchAccess(principal, request.headers, "read", end.signal, close);
  const stream = eventStream({
    subscribeAll: (listener) => subscribe(null, listener),
    signal: end.signal,
    onClose: () => {
      release();
      close();
    },
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
