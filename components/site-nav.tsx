import Link from "next/link";
import { signOutAction } from "@/app/login/actions";
import type { Principal } from "@/lib/auth/principal";
import { NavLink } from "./nav-link";

/** The top bar: sections and the signed-in person (nothing but the name when signed out). */
export function SiteNav({ principal }: { principal: Principal | null }) {
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Nexus
        </Link>
        {principal ? (
          <>
            <ul className="flex gap-1 text-sm">
              <li>
                <NavLink href="/">Inbox</NavLink>
              </li>
              <li>
                <NavLink href="/history">History</NavLink>
              </li>
              <li>
                <NavLink href="/metrics">Metrics</NavLink>
              </li>
              <li>
                <NavLink href="/settings">Settings</NavLink>
              </li>
            </ul>
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span data-testid="signed-in-as">
                <span className="sr-only">Signed in as </span>
                <span className="font-medium">{principal.name}</span>{" "}
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                  {principal.role}
                </span>
              </span>
              <form action={signOutAction}>
                <button
                  type="submit"
                  className="rounded px-3 py-1.5 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                >
                  Sign out
                </button>
              </form>
            </div>
          </>
        ) : null}
      </nav>
    </header>
  );
}
