import "server-only";
import type { NexusEvent } from "@/db/events";
import { log } from "@/lib/log";
import type { Signal } from "./hub";

/*
 * Server-Sent Events for GET /api/v1/events: `event: request.created|request.decided`
 * with the NexusEvent as data, a keep-alive comment every `keepAliveMs` (≤ 25 s), and
 * cleanup (unsubscribe, timer) when the client goes away or the server stops.
 */

export const KEEP_ALIVE_MS = 20_000;

export interface EventStreamOptions {
  subscribeAll: (listener: (signal: Signal) => void) => () => void;
  signal?: AbortSignal;
  keepAliveMs?: number;
  /** Called once when the stream is cleaned up (tests count it). */
  onClose?: () => void;
}

export function formatEvent(event: NexusEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function eventStream({
  subscribeAll,
  signal,
  keepAliveMs = KEEP_ALIVE_MS,
  onClose,
}: EventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop(); // the consumer is gone
        }
      };
      const stop = (closeStream = false) => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        if (closeStream) {
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        }
        onClose?.();
      };
      const onAbort = () => stop(true);
      const unsubscribe = subscribeAll((s) => {
        if (s.kind === "event") send(formatEvent(s.event));
        else if (s.kind === "recheck") send(": reconnected\n\n");
        else stop(true);
      });
      const timer = setInterval(() => send(": keep-alive\n\n"), keepAliveMs);
      cleanup = () => stop(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      send("retry: 3000\n: connected\n\n");
      if (signal?.aborted) onAbort();
    },
    cancel() {
      log().debug("events: client disconnected");
      cleanup?.();
    },
  });
}
