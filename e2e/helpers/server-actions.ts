import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

/*
 * Call a server action directly, as an attacker would, bypassing the UI: find its id in
 * the production build's manifest by file and export name, then POST it the way the
 * React client does. Used to prove the server refuses an action to a role that lacks
 * it, whatever the page shows.
 */
const ROOT = path.resolve(__dirname, "../..");

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

export interface ServerAction {
  id: string;
  filename: string;
  exportedName: string;
  /** A page that serves the action (dynamic segments filled with `fill`). */
  pagePath: string;
}

export function serverActions(fill = "00000000-0000-4000-8000-000000000000"): ServerAction[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, ManifestEntry> };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0] ?? "app/page";
    const pagePath =
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\[[^\]]+\]/g, fill) || "/";
    return {
      id,
      filename: entry.filename ?? "",
      exportedName: entry.exportedName ?? "",
      pagePath,
    };
  });
}

export function findServerAction(filename: string, exportedName: string): ServerAction {
  const found = serverActions().find(
    (a) => a.filename === filename && a.exportedName === exportedName,
  );
  if (!found) throw new Error(`server action ${filename}#${exportedName} not in the build`);
  return found;
}

/** A FormData argument (as a `<form action>` passes it). */
export class FormArg {
  constructor(readonly fields: Record<string, string>) {}
}

/**
 * POST a server action with `args` (JSON values or FormArg), with the request context's
 * cookies (its storage state). Returns the HTTP status and the RSC response text.
 */
export async function callServerAction(
  request: APIRequestContext,
  action: ServerAction,
  args: unknown[],
  origin: string,
) {
  // React's reply encoding: part "0" is the argument list; a FormData argument is
  // "$K<n>" with its fields in parts "_<n>_<field>".
  // The order matters: the argument list comes last (a FormData keeps insertion order;
  // an object would put the integer-like key "0" first).
  const multipart = new FormData();
  let next = 1;
  const encoded = args.map((a) => {
    if (!(a instanceof FormArg)) return a;
    const n = next++;
    for (const [k, v] of Object.entries(a.fields)) multipart.append(`_${n.toString(16)}_${k}`, v);
    return `$K${n.toString(16)}`;
  });
  multipart.append("0", JSON.stringify(encoded));
  const res = await request.post(action.pagePath, {
    headers: { "Next-Action": action.id, Accept: "text/x-component", Origin: origin },
    multipart,
    maxRedirects: 0,
  });
  return { status: res.status(), text: await res.text() };
}
