import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import type { Database } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { appSecrets } from "@/db/schema";
import { authSecret } from "@/server/auth/auth";
import { apiPrincipal } from "@/server/auth/api-auth";
import { handleAuthRequest } from "@/server/auth/handler";
import { createUser } from "@/server/auth/users";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase, teardownTestDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => {
  await teardownTestDatabase(database);
});

const call = (headers: Record<string, string> = {}) =>
  me(new Request("http://localhost:3000/api/v1/me", { headers }));

async function sessionCookie(email: string, password: string) {
  const res = await handleAuthRequest(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("GET /api/v1/me and API key checks", () => {
  it("answers 401 with the error JSON without credentials or with a bad header", async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer" },
      { authorization: "Bearer nxs_unknown" },
      { authorization: "Bearer not-even-a-nexus-key" },
    ]) {
      const res = await call(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "unauthorized", message: expect.stringContaining("Bearer") },
      });
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("names the key and its role; a revoked key is refused on the next call", async () => {
    const { key } = await createApiKey({ name: "probe", role: "agent" });
    const ok = await call({ authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ kind: "key", name: "probe", role: "agent" });
    expect(await revokeApiKey("probe")).toBe(true);
    expect((await call({ authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it("accepts a signed-in session, but never lets a cookie rescue a bad key", async () => {
    await createUser({ email: "val@example.com", password: "viewer-pass", role: "viewer" });
    const cookie = await sessionCookie("val@example.com", "viewer-pass");
    const res = await call({ cookie });
    expect(await res.json()).toEqual({ kind: "user", name: "val", role: "viewer" });
    expect((await call({ cookie, authorization: "Bearer nxs_forged" })).status).toBe(401);
    // Routes that take keys only ignore the session.
    const req = new Request("http://localhost/api/v1/x", { headers: { cookie } });
    expect(await apiPrincipal(req)).toBeNull();
    expect(await apiPrincipal(req, { allowSession: true })).toMatchObject({ role: "viewer" });
  });
});

describe("the auth secret", () => {
  it("is generated once, stored, and the same on every call (and process)", async () => {
    const first = await authSecret();
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await authSecret()).toBe(first);
    const rows = await database.db.select().from(appSecrets);
    expect(rows).toEqual([expect.objectContaining({ name: "auth_secret", value: first })]);
  });

  it("NEXUS_AUTH_SECRET wins when set", async () => {
    process.env.NEXUS_AUTH_SECRET = "x".repeat(40);
    resetEnvCache();
    try {
      expect(await authSecret()).toBe("x".repeat(40));
    } finally {
      delete process.env.NEXUS_AUTH_SECRET;
      resetEnvCache();
    }
  });
});
