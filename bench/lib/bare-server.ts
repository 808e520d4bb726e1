/**
 * Nexus's own submit, Claude Code hook and health handlers (the same functions the
 * Next.js route handlers export) behind a plain `node:http` server: what the submit and
 * agent-path benchmarks compare against to tell the HTTP layer's cost from Nexus's. Not
 * a way to run Nexus. Started by bench/submit.ts and bench/agent-path.ts in its own
 * process with the server's database environment and PORT.
 */
import http from "node:http";
import { GET as health } from "@/app/api/health/route";
import { POST as hook } from "@/app/api/v1/integrations/claude-code/hook/route";
import { getDatabase } from "@/db/client";
import { requestEndpoints } from "@/server/api/requests";

const port = Number(process.env.PORT);
const submit = requestEndpoints("approval").collection.POST;

async function main() {
  await getDatabase();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
  http
    .createServer((req, res) => {
      handle(req, res).catch((err) => {
        // a client that went away mid-body: answer if still possible, never crash the run
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    })
    .listen(port, "127.0.0.1", () => console.log(`bare server on ${port}`));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const response =
    req.url === "/api/health"
      ? await health(request)
      : req.method === "POST" && req.url === "/api/v1/approvals"
        ? await submit(request, { params: Promise.resolve({ id: "" }) })
        : req.method === "POST" && req.url?.startsWith("/api/v1/integrations/claude-code/hook")
          ? await hook(request)
          : new Response("not found", { status: 404 });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

void main();
