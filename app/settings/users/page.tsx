import { connection } from "next/server";
import { SettingsNav } from "@/components/auth/settings-nav";
import { UserCreateForm, UserDisableForm, UserRoleForm } from "@/components/auth/user-forms";
import { UtcTime } from "@/components/auth/utc-time";
import { listUsers } from "@/db/queries/users";
import { requirePagePrincipal } from "@/server/auth/session";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  await connection();
  const principal = await requirePagePrincipal("admin");
  const users = await listUsers();
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-3 text-lg font-semibold">Users</h2>
      <div className="mb-8 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h3 className="mb-3 font-medium">Add a user</h3>
        <UserCreateForm />
      </div>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        {/* A table on wide screens; one block per user at phone width (nothing to scroll to). */}
        <table className="w-full text-left text-sm max-sm:block">
          <caption className="sr-only">Users</caption>
          <thead className="border-b border-zinc-200 text-zinc-500 max-sm:hidden dark:border-zinc-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Email
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Role
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Access
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 max-sm:block dark:divide-zinc-800">
            {users.map((u) => (
              <tr key={u.id} className="max-sm:block max-sm:py-2">
                <th scope="row" className="px-4 py-2 font-medium max-sm:block max-sm:py-1">
                  {u.email}
                  {u.id === principal.id ? (
                    <span className="ml-2 text-xs text-zinc-500">(you)</span>
                  ) : null}
                  {u.disabledAt ? (
                    <span className="ml-2 rounded bg-zinc-200 px-1.5 py-0.5 text-xs font-normal text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                      disabled
                    </span>
                  ) : null}
                </th>
                <td className="px-4 py-2 max-sm:block max-sm:py-1">{u.name}</td>
                <td className="px-4 py-2 max-sm:block max-sm:py-1">
                  <UserRoleForm id={u.id} email={u.email} role={u.role} />
                </td>
                <td className="px-4 py-2 max-sm:block max-sm:py-1">
                  <UtcTime value={u.createdAt} />
                </td>
                <td className="px-4 py-2 max-sm:block max-sm:py-1">
                  {u.id === principal.id ? (
                    <span className="text-xs text-zinc-500">Signed in</span>
                  ) : (
                    <UserDisableForm id={u.id} email={u.email} disabled={!!u.disabledAt} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
