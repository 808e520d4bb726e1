import { redirect } from "next/navigation";
import { connection } from "next/server";
import { LoginForm } from "@/components/auth/login-form";
import { FormMessage } from "@/components/auth/field";
import { hasUsers } from "@/db/queries/users";
import { safeNextPath } from "@/lib/auth/next-path";
import { currentPrincipal } from "@/server/auth/session";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await currentPrincipal()) redirect(next);
  if (!(await hasUsers())) redirect("/setup");
  return (
    <section aria-labelledby="login-title" className="mx-auto mt-8 max-w-sm">
      <h1 id="login-title" className="mb-1 text-xl font-semibold">
        Sign in to Nexus
      </h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Accounts are created by an admin. Forgot your password? An admin can set a new one.
      </p>
      {params.setup === "done" ? (
        <div className="mb-4">
          <FormMessage kind="ok">Your admin account is ready. Sign in with it.</FormMessage>
        </div>
      ) : null}
      <LoginForm next={next} />
    </section>
  );
}
