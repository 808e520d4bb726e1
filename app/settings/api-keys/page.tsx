import { connection } from "next/server";
import { ApiKeyCreateForm } from "@/components/auth/api-key-create-form";
import { ApiKeyRevokeButton } from "@/components/auth/api-key-revoke-button";
import { SettingsNav } from "@/components/auth/settings-nav";
import { UtcTime } from "@/components/auth/utc-time";
import { listApiKeys } from "@/db/queries/api-keys";
import { requirePagePrincipal } from "@/server/auth/session";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await connection();
  const principal = await requirePagePrincipal("admin");
  const keys = (await listApiKeys()).reverse(); // newest first
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-1 text-lg font-semibold">API keys</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        Agents send <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>. An{" "}
        <strong>agent</strong> key submits and reads requests; a <strong>reviewer</strong> key may
        also decide them, but never a request it submitted itself. A <strong>monitor</strong> key
        reads only the status (<code className="font-mono">/api/v1/status</code>) and the Prometheus
        metrics (<code className="font-mono">/api/prometheus</code>). A key bound to an agent id may
        only submit as that agent. Keys are stored only as a hash.
      </p>
      <div className="mb-8">
        <ApiKeyCreateForm />
      </div>
      {keys.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No API keys yet. Create one above, or with{" "}
          <code className="font-mono">npm run nexus -- key create --name N --role agent</code>.
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Key
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Role
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Agent id
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Created
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {keys.map((k) => (
                <tr key={k.id}>
                  <th scope="row" className="px-4 py-2 font-medium">
                    {k.name}
                  </th>
                  <td className="px-4 py-2 font-mono text-xs">{k.prefix}…</td>
                  <td className="px-4 py-2">{k.role}</td>
                  <td className="px-4 py-2">
                    {k.agentId ? (
                      <span className="font-mono break-all">{k.agentId}</span>
                    ) : (
                      <span className="text-zinc-500">any</span>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    <UtcTime value={k.createdAt} />
                    {k.createdBy ? (
                      <span className="block text-xs text-zinc-500">by {k.createdBy}</span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">
                    <UtcTime value={k.lastUsedAt} empty="never" />
                  </td>
                  <td className="px-4 py-2">
                    {k.revokedAt ? (
                      <span className="text-red-700 dark:text-red-400">
                        Revoked <UtcTime value={k.revokedAt} />
                      </span>
                    ) : (
                      <span className="text-emerald-700 dark:text-emerald-400">Active</span>
                    )}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {k.revokedAt ? null : <ApiKeyRevokeButton name={k.name} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
