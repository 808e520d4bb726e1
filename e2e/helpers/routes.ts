import fs from "node:fs";
import path from "node:path";

/*
 * The app's routes, read from the file system at test time, so pages and API routes
 * added later are covered by the access tests without editing them.
 */
const ROOT = path.resolve(__dirname, "../..");
const PARAM_UUID = "0f0e0d0c-0b0a-4908-8706-050403020100";

function walk(dir: string, file: string, found: string[] = []): string[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, file, found);
    else if (entry.name === file) found.push(full);
  }
  return found;
}

/** URL path for an app/ folder: route groups and parallel slots dropped, params filled. */
function urlFor(dir: string): string | null {
  const segments = path.relative(path.join(ROOT, "app"), dir).split(path.sep).filter(Boolean);
  const out: string[] = [];
  for (const s of segments) {
    if (s.startsWith("(") && s.endsWith(")")) continue; // route group
    if (s.startsWith("@")) continue; // parallel route slot
    if (s.startsWith("(.")) return null; // intercepting route
    if (s.startsWith("[[...") || s.startsWith("[...")) out.push("x");
    // A fixed uuid: Playwright lists tests in more than one process, so titles built
    // from these paths must be the same in each.
    else if (s.startsWith("[")) out.push(PARAM_UUID);
    else out.push(s);
  }
  return `/${out.join("/")}`;
}

/** Every page's URL (dynamic segments get a random uuid). */
export function pageRoutes(): string[] {
  return walk(path.join(ROOT, "app"), "page.tsx")
    .map((f) => urlFor(path.dirname(f)))
    .filter((u): u is string => u !== null)
    .sort();
}

export interface ApiRoute {
  path: string;
  methods: string[];
  file: string;
}

/** Every route handler under app/api/v1, with the HTTP methods it exports. */
export function apiV1Routes(): ApiRoute[] {
  return (
    walk(path.join(ROOT, "app/api/v1"), "route.ts")
      // The catch-all `[...path]` only answers "no such endpoint" (a JSON 404 that reveals
      // nothing); every real endpoint is checked.
      .filter((file) => !file.includes(`${path.sep}[...`))
      .map((file) => {
        const source = fs.readFileSync(file, "utf8");
        // Handlers only: `export const PUT = methodNotAllowed(…)` answers 405 to everyone.
        const methods = [
          ...source.matchAll(
            /export\s+(?:(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b|const\s+(GET|POST|PUT|PATCH|DELETE)\s*=\s*(?!\s|methodNotAllowed\b))/g,
          ),
        ].map((m) => (m[1] ?? m[2])!);
        return { path: urlFor(path.dirname(file))!, methods, file: path.relative(ROOT, file) };
      })
      .sort((a, b) => a.path.localeCompare(b.path))
  );
}
