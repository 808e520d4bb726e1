import type { TestServer } from "./server";

/* Small fetch wrappers for the HTTP tests. */

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function request<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  server: TestServer,
  method: string,
  path: string,
  opts: {
    key?: string | null;
    json?: unknown;
    body?: BodyInit;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body, signal: opts.signal });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const DIFF = `--- a/src/app.ts
+++ b/src/app.ts
@@ -1,3 +1,3 @@
 import x from "x";
-const a = 1;
+const a = 2;
 export default a;
`;
