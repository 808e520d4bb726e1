import type { Metadata, Viewport } from "next";
import { SiteNav } from "@/components/site-nav";
import { guardRequest } from "@/server/auth/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Nexus", template: "%s · Nexus" },
  description: "Where AI agents ask humans: approve code changes, answer questions.",
  appleWebApp: { title: "Nexus", statusBarStyle: "default" },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#18181b" },
  ],
};

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const principal = await guardRequest();
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <SiteNav principal={principal} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          {children}
        </main>
      </body>
    </html>
  );
}
