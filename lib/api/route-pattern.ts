/*
 * A request path as the route pattern it matched (`/api/v1/approvals/{id}`), for metric
 * labels: never an id, an agent or anything a caller chose. Paths no pattern matches are
 * "other", so the label's values stay a short fixed list whatever callers send.
 */

const compiled = new Map<string, RegExp>();

function regexOf(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern
      .split("/")
      .map((seg) =>
        /^\{[^}]+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/");
    re = new RegExp(`^${body}/?$`);
    compiled.set(pattern, re);
  }
  return re;
}

/** The first of `patterns` (OpenAPI-style, `{param}` segments) that `pathname` matches. */
export function routePattern(pathname: string, patterns: readonly string[]): string {
  // literal patterns first: /api/v1/approvals/next must not read as /api/v1/approvals/{id}
  const ordered = [...patterns].sort(
    (a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
  );
  for (const p of ordered) if (regexOf(p).test(pathname)) return p;
  return "other";
}
