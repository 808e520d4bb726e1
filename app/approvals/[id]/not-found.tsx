import Link from "next/link";

export default function ApprovalNotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Approval request not found</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        No approval request has this id. The link may be mistyped, or the request was never
        submitted.
      </p>
      <Link
        href="/"
        className="mt-6 inline-block rounded bg-zinc-900 px-4 py-2 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        Back to the inbox
      </Link>
    </div>
  );
}
