"use client";

import { useEffect, useState } from "react";
import { msUntilNextExpiry } from "@/lib/inbox/age";

/**
 * "Now" for ages: starts at the server's reference time and advances by the browser's
 * own clock (offset measured once, so a skewed client clock does not matter). Ticks
 * every `everyMs`, and exactly when the next deadline in `expiries` passes.
 */
export function useClock(
  serverNowMs: number,
  expiries: readonly (number | null)[],
  everyMs = 30_000,
) {
  const [now, setNow] = useState(serverNowMs);
  const effectiveNow = Math.max(now, serverNowMs);
  const nextExpiry = msUntilNextExpiry(expiries, effectiveNow);

  useEffect(() => {
    const offset = serverNowMs - Date.now();
    const tick = () => setNow(Date.now() + offset);
    const interval = setInterval(tick, everyMs);
    const expiry = nextExpiry === null ? undefined : setTimeout(tick, nextExpiry + 50);
    return () => {
      clearInterval(interval);
      clearTimeout(expiry);
    };
  }, [serverNowMs, everyMs, nextExpiry]);

  return effectiveNow;
}
