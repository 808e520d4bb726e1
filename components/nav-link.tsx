"use client";

import { IntentLink } from "./intent-link";
import { usePathname } from "next/navigation";

export function NavLink({
  href,
  children,
  count,
  countLabel,
}: {
  href: string;
  children: React.ReactNode;
  /** a badge after the label, e.g. pending requests */
  count?: number;
  /** what the count means, for screen readers ("pending") */
  countLabel?: string;
}) {
  const pathname = usePathname();
  const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <IntentLink
      href={href}
      aria-current={active ? "page" : undefined}
      className={`inline-flex items-center gap-1.5 rounded px-3 py-1.5 max-sm:min-h-11 ${active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
    >
      {children}
      {count !== undefined && count > 0 ? (
        <span
          data-testid={`nav-count-${href}`}
          className={`rounded-full px-1.5 text-xs font-semibold tabular-nums ${active ? "bg-white/20 dark:bg-zinc-900/20" : "bg-blue-600 text-white dark:bg-blue-500"}`}
        >
          {count}
          <span className="sr-only"> {countLabel ?? ""}</span>
        </span>
      ) : null}
    </IntentLink>
  );
}
