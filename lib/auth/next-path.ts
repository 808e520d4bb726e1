/*
 * Any origin works here: the path is resolved against it and must stay on it. A real
 * one would be as good; this one can never be a site.
 */
const ORIGIN = "http://nexus.invalid";

/** C0/C1 control characters (a browser drops tab/CR/LF inside a URL) and backslashes. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * A safe place to go after signing in: a path on this site, never another one. Only a
 * value that starts with `/`, holds no control character or backslash, and resolves to
 * the same origin; returned as the resolved path (so `/./` tricks come out normalised),
 * and never `//…`, /login or /setup. Anything else is `/`.
 */
export function safeNextPath(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith("/") || UNSAFE.test(v)) return "/";
  let url: URL;
  try {
    url = new URL(v, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  if (/^\/(login|setup)(\/|\?|#|$)/.test(path)) return "/";
  return path;
}
