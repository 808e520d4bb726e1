import Link from "next/link";
import { connection } from "next/server";
import { countPending } from "@/db/queries/inbox";
import { can } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { log } from "@/lib/log";
import { KeyboardShortcuts } from "./keyboard/shortcuts";
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

export async function SiteNav() {
  await connection(); // per-request (counts), never read at build time
  const signedIn = can(await currentPrincipal(), "read");
  const count = signedIn ? await pendingCount() : null;
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3"
      >
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Nexus
        </Link>
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
        </ul>
        {signedIn ? (
          <div className="ml-auto flex items-center gap-2 sm:gap-3">
            <LiveUpdates />
            <KeyboardShortcuts />
          </div>
        ) : null}
      </nav>
    </header>
  );
}
