import { connection } from "next/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { FormMessage } from "@/components/auth/field";
import { SettingsNav } from "@/components/auth/settings-nav";
import { NotificationsControl } from "@/components/live/notifications-control";
import { requirePagePrincipal } from "@/server/auth/session";

export const metadata = { title: "Account" };

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const { password } = await searchParams;
  const principal = await requirePagePrincipal("read");
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title" className="mb-4 text-xl font-semibold">
        Settings
      </h1>
      <SettingsNav principal={principal} />
      <h2 className="mb-3 text-lg font-semibold">Account</h2>
      <dl className="mb-8 grid max-w-sm grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500">Name</dt>
        <dd>{principal.name}</dd>
        {principal.kind === "user" ? (
          <>
            <dt className="text-zinc-500">Email</dt>
            <dd>{principal.email}</dd>
          </>
        ) : null}
        <dt className="text-zinc-500">Role</dt>
        <dd>{principal.role}</dd>
      </dl>
      <h3 className="mb-3 font-medium">Notifications</h3>
      <div className="mb-8">
        <NotificationsControl />
      </div>
      <h3 className="mb-3 font-medium">Change password</h3>
      {password === "changed" ? (
        <div className="mb-4 max-w-sm">
          <FormMessage kind="ok">
            Password changed. Other sessions of your account were signed out.
          </FormMessage>
        </div>
      ) : null}
      <ChangePasswordForm />
    </section>
  );
}
