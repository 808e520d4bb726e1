import type { ApiKeyRole, Role } from "@/db/schema";

/**
 * Who is calling: a signed-in person (browser session) or an API key. Every page,
 * server action and route handler resolves one of these and checks it with `can()`.
 */
export type Principal =
  | { kind: "user"; id: string; email: string; name: string; role: Role }
  | {
      kind: "key";
      id: string;
      name: string;
      role: ApiKeyRole;
      /** the only agent_id this key may submit as (null/absent: any) */
      agentId?: string | null;
    };

export type Action =
  | "read" // inbox, history, metrics, request details, events
  | "submit" // create approvals and questions (agents)
  | "decide" // approve, reject, answer
  | "admin" // manage users and API keys
  | "monitor"; // status and Prometheus metrics (admins, monitor keys)

const grants: Record<Principal["role"], readonly Action[]> = {
  admin: ["read", "submit", "decide", "admin", "monitor"],
  reviewer: ["read", "submit", "decide"],
  viewer: ["read"],
  agent: ["read", "submit"],
  monitor: ["monitor"],
};

export function can(principal: Principal | null | undefined, action: Action): boolean {
  return !!principal && grants[principal.role].includes(action);
}

/** The name recorded in decided_by / responded_by / hitl_metrics.user_id. */
export function actorName(principal: Principal): string {
  return principal.kind === "user" ? principal.email : `key:${principal.name}`;
}
