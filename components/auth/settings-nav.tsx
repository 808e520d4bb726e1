import { NavLink } from "@/components/nav-link";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/principal";

/** Sub-navigation of Settings; admin sections only for admins. */
export function SettingsNav({ principal }: { principal: Principal }) {
  return (
    <nav aria-label="Settings" className="mb-6 border-b border-zinc-200 pb-3 dark:border-zinc-800">
      <ul className="flex flex-wrap gap-1 text-sm">
        <li>
          <NavLink href="/settings/account">Account</NavLink>
        </li>
        <li>
          <NavLink href="/settings/connect">Connect an agent</NavLink>
        </li>
        {can(principal, "admin") ? (
          <>
            <li>
              <NavLink href="/settings/users">Users</NavLink>
            </li>
            <li>
              <NavLink href="/settings/api-keys">API keys</NavLink>
            </li>
            <li>
              <NavLink href="/settings/status">Status</NavLink>
            </li>
            <li>
              <NavLink href="/settings/webhooks">Webhooks</NavLink>
            </li>
            <li>
              <NavLink href="/settings/rules">Rules</NavLink>
              <NavLink href="/settings/audit">Audit</NavLink>
            </li>
          </>
        ) : null}
      </ul>
    </nav>
  );
}
