import { TimeAgo } from "./time-ago";

/** Agent, times and expiry of a request, as a description list. */
export function RequestMeta({
  agentId,
  submittedBy,
  requestedAt,
  expiresAt,
  now,
  children,
}: {
  agentId: string;
  /** the name of the API key that submitted it (undefined: not shown; null: not recorded) */
  submittedBy?: string | null;
  requestedAt: Date | null;
  expiresAt: Date | null;
  now: Date;
  children?: React.ReactNode;
}) {
  const row = "flex gap-2";
  const dt = "w-24 shrink-0 text-zinc-500 dark:text-zinc-400";
  return (
    <dl className="space-y-1 text-sm">
      <div className={row}>
        <dt className={dt}>Agent</dt>
        <dd className="font-mono">{agentId}</dd>
      </div>
      {submittedBy !== undefined ? (
        <div className={row}>
          <dt className={dt}>Submitted by</dt>
          <dd className="break-all">
            {submittedBy === null ? (
              <span className="text-zinc-500">not recorded</span>
            ) : (
              <>
                key <span className="font-mono">{submittedBy}</span>
              </>
            )}
          </dd>
        </div>
      ) : null}
      {children}
      <div className={row}>
        <dt className={dt}>Requested</dt>
        <dd>{requestedAt ? <TimeAgo date={requestedAt} now={now} /> : "unknown"}</dd>
      </div>
      <div className={row}>
        <dt className={dt}>{expiresAt && expiresAt <= now ? "Expired" : "Expires"}</dt>
        <dd>{expiresAt ? <TimeAgo date={expiresAt} now={now} /> : "never"}</dd>
      </div>
    </dl>
  );
}
