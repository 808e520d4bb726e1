import { notFound } from "next/navigation";
import { headers } from "next/headers";
import { SetupForm } from "@/components/auth/setup-form";
import { hasUsers } from "@/db/queries/users";
import { setupNeedsToken } from "@/server/auth/setup-token";

export const metadata = { title: "Set up" };

/** First run only: creates the first admin. Gone (404) once any account exists. */
export default async function SetupPage() {
  const h = await headers();
  if (await hasUsers()) notFound();
  return (
    <section aria-labelledby="setup-title" className="mx-auto mt-8 max-w-sm">
      <h1 id="setup-title" className="mb-1 text-xl font-semibold">
        Welcome to Nexus
      </h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Create the first admin account. Admins add reviewers and API keys for agents afterwards, in
        Settings.
      </p>
      <SetupForm needsToken={setupNeedsToken(h)} />
    </section>
  );
}
