import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { LiveStatus } from "@/components/status/live-status";
import { requirePagePrincipal } from "@/server/auth/session";
import { readStatus } from "@/server/status";

export const metadata = { title: "Status" };

export default async function StatusPage() {
  await connection();
  const principal = await requirePagePrincipal("monitor");
  const status = await readStatus();
  return (
    <section aria-labelledby="status-title">
      <h1 id="status-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-1 text-lg font-semibold">Status</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        How this Nexus process and its database are doing; the figures refresh every 5 seconds. The
        same data as JSON: <code className="font-mono">GET /api/v1/status</code> (an admin session
        or a monitor key); for Prometheus: <code className="font-mono">/api/prometheus</code>.
      </p>
      <LiveStatus initial={status} />
    </section>
  );
}
