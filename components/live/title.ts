/** "(3) Inbox · Nexus"; no count when nothing waits. */
export function pendingTitle(count: number, page: string, withSuffix = true): string {
  const base = `${count > 0 ? `(${count}) ` : ""}${page}`;
  return withSuffix ? `${base} · Nexus` : base;
}
