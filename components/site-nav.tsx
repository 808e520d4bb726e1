import Link from "next/link";
import { NavLink } from "./nav-link";

export function SiteNav() {
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Nexus
        </Link>
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
        </ul>
      </nav>
    </header>
  );
}
