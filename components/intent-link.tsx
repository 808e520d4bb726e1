"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * A link that prefetches its page when the reviewer reaches for it (pointer, focus —
 * which includes the j/k keys — or touch) rather than when it scrolls into view. Pages
 * that refresh live would otherwise prefetch every visible link again after each
 * refresh: a server render per link, on the one thread that also answers agents.
 */
export function IntentLink({
  href,
  onMouseEnter,
  onFocus,
  onTouchStart,
  ...props
}: Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        router.prefetch(href);
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        router.prefetch(href);
        onFocus?.(e);
      }}
      onTouchStart={(e) => {
        router.prefetch(href);
        onTouchStart?.(e);
      }}
    />
  );
}
