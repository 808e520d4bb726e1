import { TimeAgo } from "./time-ago";

/** Agent, times and expiry of a request, as a description list. */
export function RequestMeta({
  agentId,
  requestedAt,
  expiresAt,
  now,
  children,
}: {
  agentId: string;
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
