import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A stand-in for the Anthropic Messages API, enough for `claude -p`: the first turn
 * that offers tools answers with one scripted tool_use, a turn that carries its
 * tool_result answers with a closing text. Streams server-sent events when asked to.
 * Records every request, so a test reads what Claude Code told the model (the
 * tool_result of a denied call holds the reviewer's reason).
 */

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
}

export interface RecordedRequest {
  /** Date.now() when it arrived */
  at: number;
  method: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface ToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  is_error?: boolean;
  content: string | { type: string; text?: string }[];
}

export interface FakeModel {
  url: string;
  requests: RecordedRequest[];
  /** every tool_result block Claude Code sent back to the model */
  toolResults(): ToolResultBlock[];
  close(): Promise<void>;
}

export const TOOL_USE_ID = "toolu_nexus_test_1";

type Block =
  { type: "tool_use"; id: string; name: string; input: unknown } | { type: "text"; text: string };

export async function startFakeModel(toolUse: ToolUse): Promise<FakeModel> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const at = Date.now();
    let raw = "";
    for await (const chunk of req) raw += chunk;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any = null;
    try {
      json = JSON.parse(raw);
    } catch {
      /* not JSON */
    }
    requests.push({ at, method: req.method ?? "", url: req.url ?? "", body: json });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) {
      return send(404, { type: "error", error: { type: "not_found_error", message: "no" } });
    }
    if (req.url.startsWith("/v1/messages/count_tokens")) return send(200, { input_tokens: 10 });

    const messages: { content: unknown }[] = json?.messages ?? [];
    const last = messages.at(-1);
    const content = Array.isArray(last?.content) ? (last.content as { type: string }[]) : [];
    const toolResult = content.some((b) => b.type === "tool_result");
    const hasTools = Array.isArray(json?.tools) && json.tools.length > 0;
    const block: Block =
      !toolResult && hasTools
        ? { type: "tool_use", id: TOOL_USE_ID, name: toolUse.name, input: toolUse.input }
        : { type: "text", text: toolResult ? "Done." : "OK" };
    const stop = block.type === "tool_use" ? "tool_use" : "end_turn";
    const message = {
      id: `msg_${requests.length}`,
      type: "message",
      role: "assistant",
      model: json?.model ?? "claude",
      content: [] as Block[],
      stop_reason: null as string | null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    };
    if (!json?.stream) {
      return send(200, { ...message, content: [block], stop_reason: stop });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const event = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event("message_start", { message });
    if (block.type === "tool_use") {
      event("content_block_start", {
        index: 0,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      event("content_block_delta", {
        index: 0,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    } else {
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text: block.text } });
    }
    event("content_block_stop", { index: 0 });
    event("message_delta", {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    event("message_stop", {});
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults: () =>
      requests.flatMap((r) => {
        const messages: { content: unknown }[] = r.body?.messages ?? [];
        const content = messages.at(-1)?.content;
        return Array.isArray(content)
          ? (content as ToolResultBlock[]).filter((b) => b.type === "tool_result")
          : [];
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tool_result's text, whether Claude Code sent a string or text blocks. */
export function resultText(block: ToolResultBlock): string {
  return typeof block.content === "string"
    ? block.content
    : block.content.map((c) => c.text ?? "").join("");
}
