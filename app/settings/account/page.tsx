import { connection } from "next/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { EmailPreferenceForm } from "@/components/auth/email-preference-form";
import { FormMessage } from "@/components/auth/field";
import { SettingsNav } from "@/components/auth/settings-nav";
import { NotificationsControl } from "@/components/live/notifications-control";
import { getEmailPreference } from "@/db/queries/email";
import { can } from "@/lib/auth/principal";
import { env } from "@/lib/env";
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
  const emailable = principal.kind === "user" && can(principal, "decide");
  const email = emailable ? await getEmailPreference(principal.id) : null;
  const smtp = Boolean(env().NEXUS_SMTP_URL);
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
      {email ? (
        <>
          <h3 className="mb-3 font-medium">Email</h3>
          <div className="mb-8 space-y-3">
            {smtp ? null : (
              <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
                This Nexus sends no email yet (an administrator sets NEXUS_SMTP_URL). Your choice is
                kept for when it does.
              </p>
            )}
            <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
              Whichever you choose, a request that waits past the escalation threshold is emailed at
              once. &quot;No email&quot; means none at all.
            </p>
            <EmailPreferenceForm mode={email.mode} digestMinutes={email.digestMinutes} />
          </div>
        </>
      ) : null}
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
