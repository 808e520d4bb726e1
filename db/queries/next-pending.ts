import "server-only";
import { pagePath } from "@/lib/domain/kinds";
import { listPending, type RequestType } from "./inbox";

/** The oldest pending approval or question (the next thing a reviewer should look at), or null. */
export async function nextPending(): Promise<{ type: RequestType; id: string } | null> {
  const [first] = await listPending({ order: "oldest", limit: 1 });
  return first ? { type: first.type, id: first.id } : null;
}

/** Where to go after a decision: the next pending item's page, or the inbox. */
export async function nextPendingHref(done: "approved" | "rejected" | "answered"): Promise<string> {
  const next = await nextPending();
  if (!next) return `/?done=${done}`;
  return `${pagePath(next.type, next.id)}?done=${done}`;
}
