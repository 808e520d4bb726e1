import { describe, expect, test } from "vitest";
import type { Signal } from "@/server/events/hub";
import { eventStream, KEEP_ALIVE_MS } from "@/server/events/sse";

/* The SSE stream: framing, keep-alive comments, cleanup on disconnect and shutdown. */

function harness(keepAliveMs = 30) {
  let listener: ((s: Signal) => void) | null = null;
  let unsubscribed = 0;
  let closed = 0;
  const controller = new AbortController();
  const stream = eventStream({
    subscribeAll: (l) => {
      listener = l;
      return () => {
        unsubscribed++;
        listener = null;
      };
    },
    signal: controller.signal,
    keepAliveMs,
    onClose: () => closed++,
  });
  const decoder = new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>;
  const reader = stream.pipeThrough(decoder).getReader();
  let text = "";
  const readUntil = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return text;
  };
  return {
    emit: (s: Signal) => listener?.(s),
    readUntil,
    reader,
    controller,
    counts: () => ({ unsubscribed, closed, subscribed: listener !== null }),
  };
}

describe("event stream", () => {
  test("keep-alive default is at most 25 s", () => {
    expect(KEEP_ALIVE_MS).toBeLessThanOrEqual(25_000);
  });

  test("events are framed as `event:` + `data:` lines; keep-alive comments follow", async () => {
    const h = harness();
    await h.readUntil(": connected");
    h.emit({
      kind: "event",
      event: { type: "request.decided", request_type: "approval", id: "i", agent_id: "a" },
    });
    const text = await h.readUntil('"agent_id":"a"}\n\n');
    expect(text).toContain(
      'event: request.decided\ndata: {"type":"request.decided","request_type":"approval","id":"i","agent_id":"a"}\n\n',
    );
    expect(await h.readUntil(": keep-alive\n\n")).toContain(": keep-alive");
    h.controller.abort();
  });

  test("a client disconnect (cancel) unsubscribes and stops the timer once", async () => {
    const h = harness();
    await h.readUntil(": connected");
    await h.reader.cancel();
    expect(h.counts()).toEqual({ unsubscribed: 1, closed: 1, subscribed: false });
    h.controller.abort();
    expect(h.counts().closed).toBe(1);
  });

  test("the request's abort signal and server shutdown close the stream", async () => {
    const a = harness();
    await a.readUntil(": connected");
    a.controller.abort();
    expect((await a.reader.read()).done).toBe(true);
    expect(a.counts()).toMatchObject({ unsubscribed: 1, closed: 1 });
    const b = harness();
    await b.readUntil(": connected");
    b.emit({ kind: "shutdown" });
    expect((await b.reader.read()).done).toBe(true);
    expect(b.counts()).toMatchObject({ unsubscribed: 1, closed: 1 });
  });
});
