const TEXT = {
  approved: "Approved.",
  rejected: "Rejected.",
  answered: "Answer sent.",
} as const;

/** After a decision the reviewer lands on the next pending item: say the last one was recorded. */
export function DoneBanner({ done }: { done: string | string[] | undefined }) {
  if (typeof done !== "string" || !(done in TEXT)) return null;
  return (
    <p
      role="status"
      className="mb-4 rounded-lg border border-green-300 bg-green-50 px-4 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950/40 dark:text-green-200"
    >
      {TEXT[done as keyof typeof TEXT]} This is the next pending request.
    </p>
  );
}
