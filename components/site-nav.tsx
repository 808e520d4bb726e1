import Link from "next/link";
import { signOutAction } from "@/app/login/actions";
import { countPending } from "@/db/queries/inbox";
import { can, type Principal } from "@/lib/auth/principal";
import { log } from "@/lib/log";
import { KeyboardShortcuts } from "./keyboard/shortcuts";
import { Attention } from "./live/attention";
import { LiveUpdates } from "./live/live-updates";
import { NavLink } from "./nav-link";

/** Pending count for the badge; null when the database is unreachable. */
async function pendingCount(): Promise<number | null> {
  try {
    return (await countPending()).total;
  } catch (err) {
    log().warn({ err }, "nav: could not count pending requests");
    return null;
  }
}

/** The top bar: sections, live status, shortcuts and the signed-in person. */
export async function SiteNav({ principal }: { principal: Principal | null }) {
  const count = can(principal, "read") ? await pendingCount() : null;
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3"
      >
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Nexus
        </Link>
        {principal ? (
          <>
            <ul className="flex gap-1 text-sm">
              <li>
                <NavLink href="/" count={count ?? undefined} countLabel="pending">
                  Inbox
                </NavLink>
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
            <div className="ml-auto flex items-center gap-2 text-sm sm:gap-3">
              <LiveUpdates />
              <Attention count={count} />
              <KeyboardShortcuts />
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
                  className="rounded px-3 py-1.5 text-zinc-600 hover:bg-zinc-100 max-sm:min-h-11 dark:text-zinc-300 dark:hover:bg-zinc-800"
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
