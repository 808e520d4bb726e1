import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/*
 * The bytes of scripts/nexus-agent.mjs for GET /nexus-agent.mjs, read from the working
 * folder (next.config.ts traces the file into the standalone build) and kept until the
 * file changes; the ETag is a hash of the content.
 */

const FILE = path.join(process.cwd(), "scripts", "nexus-agent.mjs");

let cached: { mtimeMs: number; body: Buffer; etag: string } | null = null;

export async function agentScript(): Promise<{ body: Buffer; etag: string }> {
  const { mtimeMs } = await fs.stat(FILE);
  if (cached?.mtimeMs !== mtimeMs) {
    const body = await fs.readFile(FILE);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    cached = { mtimeMs, body, etag };
  }
  return cached;
}
