import "server-only";
import type { AttemptOutcome, ClaimedDelivery, TargetsOf } from "@/db/queries/outbox";

/*
 * The channels the outbox fans out to. Each event gets one delivery per target of each
 * registered channel (outbox_deliveries: channel, target); the worker claims, attempts,
 * retries and gives up the same way for every channel.
 *
 * A second channel (email) plugs in with registerChannel({ name: "email", targets,
 * deliver }) at server start: `targets` picks who gets an event (user ids, in the
 * dispatch transaction), `deliver` sends one and says how it went. Digests can record
 * their delivery as done and batch in their own table.
 */
export interface AttemptContext {
  /** aborted on timeout or shutdown */
  signal: AbortSignal;
  timeoutMs: number;
  /** the public URL of this Nexus (links) */
  baseUrl: string;
  /** a target failing this long is disabled (a channel's own bookkeeping) */
  disableAfterMs: number;
}

export interface Channel {
  name: string;
  targets: TargetsOf;
  deliver(claimed: ClaimedDelivery, ctx: AttemptContext): Promise<AttemptOutcome>;
}

const g = globalThis as unknown as { __nexusChannels?: Map<string, Channel> };

/** Register (or replace) a channel; every process registers the same ones at start. */
export function registerChannel(channel: Channel) {
  (g.__nexusChannels ??= new Map()).set(channel.name, channel);
}

export function registeredChannels(): Channel[] {
  return [...(g.__nexusChannels?.values() ?? [])];
}
