import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

/*
 * The OpenAPI document covers every route handler under app/api, found on disk: a new
 * route (or a new method on one) without an entry fails here. Left out: better-auth's
 * /api/auth/* (the sign-in machinery of the dashboard, not the agent API) and the
 * /api/v1 catch-all (it only answers 404 for unknown paths). Methods answered by
 * methodNotAllowed() are not operations.
 */

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
    return { file, segments, source: fs.readFileSync(file, "utf8") };
  })
  .filter(({ segments }) => segments[1] !== "auth" && !segments.some((s) => s.startsWith("[...")));

const openApiPath = (segments: string[]) =>
  "/" + segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");

/** Methods the file serves for real (not `= methodNotAllowed(...)`). */
function servedMethods(source: string): string[] {
  return METHODS.filter((m) => {
    const match = new RegExp(`export (?:const ${m} =|async function ${m}\\b)(.*)`).exec(source);
    return match && !/^\s*methodNotAllowed\(/.test(match[1] ?? "");
  });
}

describe("OpenAPI covers every route under app/api", () => {
  test("routes are found", () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  for (const { file, segments, source } of routes) {
    const p = openApiPath(segments);
    test(`${p} (${path.relative(ROOT, file)})`, () => {
      const methods = servedMethods(source);
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
