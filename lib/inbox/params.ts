import type { InboxOrder, RequestType } from "@/db/queries/inbox";
import { REQUEST_KINDS, type RequestKind } from "@/lib/domain/kinds";

type Params = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Inbox URL state: `type`, `agent`, `sort`; unknown values fall back to the defaults. */
export function parseInboxParams(params: Params): {
  type?: RequestType;
  agent?: string;
  sort: InboxOrder;
} {
  const type = one(params.type);
  const sort = one(params.sort);
  const agent = one(params.agent);
  return {
    type: REQUEST_KINDS.includes(type as RequestKind) ? (type as RequestKind) : undefined,
    agent: agent && agent.length <= 200 ? agent : undefined,
    sort: sort === "newest" || sort === "agent" ? sort : "oldest",
  };
}
