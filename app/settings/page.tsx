import { redirect } from "next/navigation";
import { connection } from "next/server";
import { requirePagePrincipal } from "@/server/auth/session";

export default async function SettingsPage() {
  await connection();
  await requirePagePrincipal("read");
  redirect("/settings/account");
}
