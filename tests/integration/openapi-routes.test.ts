import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { openApiDocument } from "@/lib/api/openapi";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

/*
 * The OpenAPI document covers every route handler under app/api, found on disk: a new
 * route (or a new method on one) without an entry fails here. Left out: better-auth's
 * /api/auth/* (the sign-in machinery of the dashboard, not the agent API) and the
 * /api/v1 catch-all (it only answers 404 for unknown paths). A method is an operation
 * unless the route answers it with 405 (methodNotAllowed), asked without credentials.
 */

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(() => teardownTestDatabase(database));

const ROOT = path.resolve(__dirname, "../..");
const API = path.join(ROOT, "app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

interface Operation {
  security?: Record<string, unknown>[];
}

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  security?: unknown;
};

const routes = routeFiles(API)
  .map((file) => {
    const segments = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
    return { file, segments };
  })
  .filter(({ segments }) => segments[1] !== "auth" && !segments.some((s) => s.startsWith("[...")));

const openApiPath = (segments: string[]) =>
  "/" + segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");

/** Methods the route serves: exported, and not answered with 405 Method Not Allowed. */
async function servedMethods(file: string, urlPath: string): Promise<string[]> {
  const mod = (await import(file)) as Record<string, unknown>;
  const served: string[] = [];
  for (const m of METHODS) {
    const handler = mod[m] as ((r: Request, c: unknown) => Promise<Response>) | undefined;
    if (typeof handler !== "function") continue;
    const res = await handler(new Request(`http://localhost:3000${urlPath}`, { method: m }), {
      params: Promise.resolve({ id: "0b8e7f0e-8d1c-4d58-9a57-1c1c7b3c9f10" }),
    });
    await res.body?.cancel().catch(() => {});
    if (res.status !== 405) served.push(m);
  }
  return served;
}

describe("OpenAPI covers every route under app/api", () => {
  test("routes are found", () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  for (const { file, segments } of routes) {
    const p = openApiPath(segments);
    test(`${p} (${path.relative(ROOT, file)})`, async () => {
      const methods = await servedMethods(
        file,
        p.replace("{id}", "0b8e7f0e-8d1c-4d58-9a57-1c1c7b3c9f10"),
      );
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        const op = doc.paths[p]?.[method.toLowerCase()];
        expect(op, `${method} ${p} is missing from lib/api/openapi.ts`).toBeDefined();
        // says truthfully whether a key is needed: health needs none, the rest do
        expect(op!.security, `${method} ${p}: security`).toBeDefined();
        if (p === "/api/health") expect(op!.security).toEqual([]);
        else expect(op!.security!.some((s) => "bearer" in s)).toBe(true);
      }
    });
  }

  test("no document-wide security that an operation could silently inherit", () => {
    expect(doc.security).toBeUndefined();
  });
});
