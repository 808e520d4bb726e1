/** A signed-in reviewer for page benchmarks: created in the database, signed in over HTTP. */
export async function reviewerCookie(
  baseUrl: string,
  email = "bench-reviewer@example.com",
  password = "bench-password-1",
) {
  const { createUser } = await import("@/server/auth/users");
  const { findUserByEmail } = await import("@/db/queries/users");
  if (!(await findUserByEmail(email)))
    await createUser({ email, password, role: "reviewer", name: "Bench Reviewer" });
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  return cookies.join("; ");
}

/** Pull the href of the first <a … rel="next"> (the history pager's "Older" link). */
export function nextLink(html: string): string | null {
  const tag = /<a\b[^>]*\brel="next"[^>]*>/.exec(html)?.[0];
  const href = tag && /\bhref="([^"]+)"/.exec(tag)?.[1];
  return href ? href.replace(/&amp;/g, "&") : null;
}
