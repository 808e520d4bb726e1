// TEMPORARY stand-in for the API helper's events route (dropped when theirs is merged).
import { getDatabase } from "@/db/client";
import { EVENTS_CHANNEL } from "@/db/events";
import { can } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  if (!can(await currentPrincipal(), "read")) {
    return Response.json(
      { error: { code: "unauthorized", message: "Sign in first." } },
      { status: 401 },
    );
  }
  const database = await getDatabase();
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (s: string) => {
        try {
          controller.enqueue(encoder.encode(s));
        } catch {
          cleanup?.();
        }
      };
      const unlisten = await database.listen(EVENTS_CHANNEL, (payload) => {
        let type = "message";
        try {
          type = (JSON.parse(payload) as { type?: string }).type ?? "message";
        } catch {}
        send(`event: ${type}\ndata: ${payload}\n\n`);
      });
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), 20_000);
      send("retry: 2000\n: connected\n\n");
      cleanup = () => {
        clearInterval(keepAlive);
        void unlisten();
        cleanup = undefined;
      };
      request.signal.addEventListener("abort", () => {
        cleanup?.();
        try {
          controller.close();
        } catch {}
      });
    },
    cancel() {
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
