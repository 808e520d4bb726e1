import { mcpEndpoint } from "@/server/api/mcp";

export const dynamic = "force-dynamic";

/** The MCP server (Streamable HTTP): POST JSON-RPC; see server/api/mcp.ts. */
export const { GET, POST, PUT, PATCH, DELETE } = mcpEndpoint;
