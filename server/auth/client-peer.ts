import "server-only";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { CLIENT_ADDRESS_HEADER, PEER_HEADER } from "@/lib/auth/client-address";

const g = globalThis as unknown as { __nexusPeerHeader?: boolean };

/*
 * Next.js gives route handlers, server actions and proxy.ts no socket, only headers.
 * Node announces every request on this channel synchronously before the server's
 * "request" event, i.e. before Next.js reads the headers: write the socket's remote
 * address into a header there, replacing whatever the client sent under that name
 * (and drop a client-sent resolved-address header: only server/auth/handler.ts sets it).
 */
export function recordPeerAddresses() {
  if (g.__nexusPeerHeader) return;
  g.__nexusPeerHeader = true;
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket?: Socket };
    const peer = socket?.remoteAddress ?? request.socket?.remoteAddress ?? "";
    request.headers[PEER_HEADER] = peer;
    delete request.headers[CLIENT_ADDRESS_HEADER];
  });
}
