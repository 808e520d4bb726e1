/*
 * A reviewer's email choice (Settings → Account) and how the outbox names its targets.
 * Pure: shared by the form, the action and the email channel.
 */

export const EMAIL_MODES = ["none", "each", "digest"] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];
export const MIN_DIGEST_MINUTES = 5;
/** the outbox retries at least hourly and gives up after a day: a digest stays well inside */
export const MAX_DIGEST_MINUTES = 12 * 60;
export const DEFAULT_DIGEST_MINUTES = 15;

const DIGEST = "digest:";
/** The outbox target of a request waiting for a reviewer's digest. */
export const digestTarget = (userId: string) => `${DIGEST}${userId}`;
/** `{ userId, digest }` of an email delivery's target (`<user id>` or `digest:<user id>`). */
export function parseTarget(target: string): { userId: string; digest: boolean } {
  return target.startsWith(DIGEST)
    ? { userId: target.slice(DIGEST.length), digest: true }
    : { userId: target, digest: false };
}
