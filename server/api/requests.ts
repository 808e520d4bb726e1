import "server-only";
import { encodeCursor, requestJson } from "./serialize";
import { KINDS, type RequestKind } from "@/lib/domain/kinds";
import { WaitQuery } from "@/lib/api/schemas";
import { decide, isPending, list, parseId, read, submit } from "@/server/requests/service";
import { waitUntilSettled } from "@/server/events/wait";
import { readJsonBody } from "./body";
import { notFound } from "./errors";
import { authorize, methodNotAllowed, NO_STORE, parseWith, queryOf, route } from "./route";

/*
 * The request endpoints of the agent API for any kind: app/api/v1/<segment>/** only
 * route to these (`requestRoutes("approval")`). HTTP in, HTTP out; the rules are the
 * service's (server/requests/service.ts), shared with the dashboard's forms.
 */

type Ctx = { params: Promise<{ id: string }> };

export function requestRoutes<K extends RequestKind>(kind: K) {
  const { words } = KINDS[kind];
  const { segment } = KINDS[kind].paths;
  return {
    /** POST /api/v1/<segment>: submit (201, or 200 for an identical retry) */
    async create(request: Request): Promise<Response> {
      const principal = await authorize(request, "submit");
      const { created, row } = await submit(kind, principal, await readJsonBody(request));
      // docs/api.md: an approval's diff only in GET /{id}; the agent has just sent it anyway
      return Response.json(requestJson(kind, row, { withDiff: false }), {
        status: created ? 201 : 200,
        headers: { ...NO_STORE, Location: `/api/v1/${segment}/${row.id}` },
      });
    },

    /** GET /api/v1/<segment>: newest first, keyset pages */
    async list(request: Request): Promise<Response> {
      await authorize(request, "read", { allowSession: true });
      const page = await list(kind, queryOf(request));
      const now = new Date();
      return Response.json(
        {
          items: page.items.map((row) => requestJson(kind, row, { withDiff: false, now })),
          next_cursor: encodeCursor(page.next),
        },
        { headers: NO_STORE },
      );
    },

    /** GET /api/v1/<segment>/{id}[?wait=0..60]: long poll until decided */
    async get(request: Request, ctx: Ctx): Promise<Response> {
      await authorize(request, "read", { allowSession: true });
      const id = parseId((await ctx.params).id);
      const { wait } = parseWith(WaitQuery, queryOf(request), "The query is invalid.");
      const row = await waitUntilSettled({
        id,
        waitS: wait ?? 0,
        read: () => read(kind, id),
        isPending: (r, now) => isPending(kind, r, now),
        expiresAt: (r) => r.expiresAt,
        signal: request.signal,
      });
      if (!row) throw notFound(words.label);
      return Response.json(requestJson(kind, row), { headers: NO_STORE });
    },

    /** POST /api/v1/<segment>/{id}/<decisionSegment>: reviewer keys only */
    async decide(request: Request, ctx: Ctx): Promise<Response> {
      const principal = await authorize(request, "decide");
      const rawId = (await ctx.params).id;
      parseId(rawId); // a bad id is a 400 before the body is read
      const row = await decide(kind, principal, rawId, await readJsonBody(request));
      return Response.json(requestJson(kind, row, { withDiff: false }), { headers: NO_STORE });
    },
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Handler = (request: Request, ctx: Ctx) => Promise<Response>;

/** Every method of an endpoint: the served ones behind route(), the rest a JSON 405. */
function methods(served: Partial<Record<Method, Handler>>): Record<Method, Handler> {
  const allow = Object.keys(served).join(", ");
  const all = {} as Record<Method, Handler>;
  for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    const fn = served[m];
    all[m] = fn ? route(fn) : methodNotAllowed(allow);
  }
  return all;
}

/** The route handlers of a kind's endpoints, for its app/api/v1/<segment>/** files. */
export function requestEndpoints(kind: RequestKind) {
  const r = requestRoutes(kind);
  return {
    /** `/api/v1/<segment>`: POST submits, GET lists */
    collection: methods({ GET: r.list, POST: r.create }),
    /** `/api/v1/<segment>/{id}`: GET reads (long poll with ?wait=) */
    one: methods({ GET: r.get }),
    /** `/api/v1/<segment>/{id}/<decision>`: POST decides */
    decision: methods({ POST: r.decide }),
  };
}
