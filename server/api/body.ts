import "server-only";
import { env } from "@/lib/env";
import { ApiError } from "./errors";

/*
 * Reading a JSON request body safely: only `application/json` (UTF-8), at most
 * NEXUS_MAX_BODY_BYTES, counted while streaming so an oversized body is refused
 * without being held in memory; strict UTF-8; a JSON object at the top.
 */

export function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type ?? ""))
    return false;
  for (const p of params) {
    const [k, v] = p.split("=").map((s) => s.trim());
    if (k === "charset" && v?.replace(/"/g, "") !== "utf-8" && v?.replace(/"/g, "") !== "utf8")
      return false;
  }
  return true;
}

/**
 * A declared Content-Length over the limit is refused before reading; Node then
 * discards the unread body and the connection stays usable. A body cut off mid-stream
 * leaves the connection in an unknown state, so that answer closes it.
 */
function tooLarge(max: number, midStream: boolean) {
  return new ApiError(
    "payload_too_large",
    `The request body is larger than the limit of ${max} bytes (NEXUS_MAX_BODY_BYTES).`,
    undefined,
    undefined,
    midStream ? { Connection: "close" } : undefined,
  );
}

/** The raw bytes of the body, refusing more than `max` (413) as soon as it is exceeded. */
export async function readBodyBytes(request: Request, max: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max)
    throw tooLarge(max, false);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max, true);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/** Parse bytes as a JSON object; 400 on invalid UTF-8, broken JSON or a non-object. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let source: string;
  try {
    source = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("invalid_request", "The request body is not valid UTF-8.");
  }
  if (source.trim() === "") throw new ApiError("invalid_request", "The request body is empty.");
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const why = err instanceof SyntaxError ? `: ${err.message}` : "";
    throw new ApiError("invalid_request", `The request body is not valid JSON${why}.`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError("invalid_request", "The request body must be a JSON object.", [
      { path: "body", message: "Expected a JSON object" },
    ]);
  }
  return value as Record<string, unknown>;
}

/** Content type (415), size (413), UTF-8 and JSON (400) checks, in that order. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new ApiError(
      "unsupported_media_type",
      "Send the body as JSON with `Content-Type: application/json`.",
    );
  }
  return parseJsonObject(await readBodyBytes(request, env().NEXUS_MAX_BODY_BYTES));
}
