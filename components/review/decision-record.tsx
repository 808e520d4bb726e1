import { TimeAgo } from "./time-ago";

/** A decided or expired request: who decided what and when, and the comment or answer. */
export function DecisionRecord({
  outcome,
  by,
  at,
  text,
  textLabel,
  now,
}: {
  outcome: "approved" | "rejected" | "answered" | "expired";
  by: string | null;
  at: Date | null;
  text: string | null;
  textLabel: string;
  now: Date;
}) {
  const tone =
    outcome === "rejected"
      ? "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40"
      : outcome === "expired"
        ? "border-zinc-300 bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800/60"
        : "border-green-300 bg-green-50 dark:border-green-800 dark:bg-green-950/40";
  return (
    <section aria-labelledby="decision-title" className={`rounded-lg border p-4 text-sm ${tone}`}>
      <h2 id="decision-title" className="text-base font-semibold break-words">
        {outcome === "expired"
          ? "Expired: no decision was made"
          : `${outcome[0]!.toUpperCase() + outcome.slice(1)} by ${by ?? "an unknown reviewer"}`}
      </h2>
      {at ? (
        <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">
          <TimeAgo date={at} now={now} />
        </p>
      ) : null}
      {text ? (
        <div className="mt-2">
          <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            {textLabel}
          </h3>
          <p className="mt-1 whitespace-pre-wrap break-words">{text}</p>
        </div>
      ) : null}
    </section>
  );
}
