import { chromium, type Browser } from "@playwright/test";

/** Debian's Chromium with the flags this machine needs (see playwright.config.ts). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Turn a `name=value; name2=value2` cookie header into Playwright cookies for `url`. */
export function cookiesFor(url: string, header: string) {
  return header.split("; ").map((pair) => {
    const i = pair.indexOf("=");
    return { name: pair.slice(0, i), value: pair.slice(i + 1), url };
  });
}
