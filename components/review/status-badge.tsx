import type { ApprovalStatus, QuestionStatus } from "@/lib/domain/status";

const TONE: Record<ApprovalStatus | QuestionStatus, string> = {
  pending:
    "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-200",
  approved:
    "border-green-300 bg-green-50 text-green-900 dark:border-green-700 dark:bg-green-950/50 dark:text-green-200",
  answered:
    "border-green-300 bg-green-50 text-green-900 dark:border-green-700 dark:bg-green-950/50 dark:text-green-200",
  rejected:
    "border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950/50 dark:text-red-200",
  superseded:
    "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-700 dark:bg-sky-950/50 dark:text-sky-200",
  expired:
    "border-zinc-300 bg-zinc-100 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StatusBadge({ status }: { status: ApprovalStatus | QuestionStatus }) {
  return (
    <span
      className={`inline-block rounded-full border px-2.5 py-0.5 text-xs font-medium ${TONE[status]}`}
    >
      {status}
    </span>
  );
}
