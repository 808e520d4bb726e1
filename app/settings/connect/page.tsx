import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { ConnectAgent } from "@/components/connect/connect-agent";
import { can } from "@/lib/auth/principal";
import { publicUrl } from "@/lib/env";
import { requirePagePrincipal } from "@/server/auth/session";

export const metadata = { title: "Connect an agent" };

/** Snippets to paste into an agent's configuration, filled in with this server's URL. */
export default async function ConnectAgentPage() {
  await connection();
  const principal = await requirePagePrincipal("read");
  return (
    <section aria-labelledby="connect-title">
      <h1 id="connect-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-1 text-lg font-semibold">Connect an agent</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        Paste one of these into the agent&apos;s configuration. Each needs this server&apos;s URL (
        <code className="font-mono break-all">{publicUrl()}</code>) and an API key with the role{" "}
        <strong>agent</strong>. More in <code className="font-mono">docs/agents.md</code>.
      </p>
      <ConnectAgent baseUrl={publicUrl()} canCreateKey={can(principal, "admin")} />
    </section>
  );
}
