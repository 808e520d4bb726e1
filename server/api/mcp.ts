import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { z } from "zod";
import { DEFAULT_TOOL_WAIT_S, MAX_TOOL_WAIT_S, createMcpServer } from "@/server/mcp/tools";
import { readJsonBody } from "./body";
import { authorize, methodNotAllowed, parseWith, queryOf, route } from "./route";

/*
 * /api/v1/mcp: the MCP server (Streamable HTTP, stateless). Every POST carries one
 * JSON-RPC message; it is authenticated with the API's Bearer keys (role "submit") and
 * its body read with the API's limits before the MCP SDK sees it. No sessions: a new
 * server per request, bound to the caller, so nothing is kept between requests and any
 * process of a cluster can answer. GET (a server-initiated stream) and DELETE (end a
 * session) have nothing to serve without sessions: 405, which the spec allows and
 * clients expect.
 */

const McpQuery = z.object({
  timeout: z
    .string()
    .regex(/^\d+$/, { message: `timeout must be an integer from 1 to ${MAX_TOOL_WAIT_S}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { message: "timeout must be at least 1" })
        .max(MAX_TOOL_WAIT_S, { message: `timeout must be at most ${MAX_TOOL_WAIT_S}` }),
    )
    .optional(),
});

async function post(request: Request): Promise<Response> {
  const principal = await authorize(request, "submit");
  const { timeout } = parseWith(McpQuery, queryOf(request), "The query is invalid.");
  const body = await readJsonBody(request);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
  });
  const server = createMcpServer({
    principal,
    defaultTimeoutS: timeout ?? DEFAULT_TOOL_WAIT_S,
    signal: request.signal,
  });
  await server.connect(transport);
  // closed once the response is done or the client has gone, whichever is first
  const close = () => void server.close().catch(() => {});
  request.signal.addEventListener("abort", close, { once: true });
  const response = await transport.handleRequest(request, { parsedBody: body });
  if (!response.body) close();
  return response;
}

const noSessions = methodNotAllowed("POST");

export const mcpEndpoint = {
  POST: route(post),
  GET: noSessions,
  DELETE: noSessions,
  PUT: noSessions,
  PATCH: noSessions,
};
